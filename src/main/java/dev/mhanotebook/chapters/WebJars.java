package dev.mhanotebook.chapters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Properties;

import io.quarkus.qute.TemplateGlobal;

/**
 * Where the pages find the front-end libraries: WebJar paths with the version in them
 * ({@code /webjars/katex/0.16.4/dist/katex.min.js}), so that a browser may keep a file for a
 * year (a new version is a new path; see {@code CacheHeaders}). The versions are read from the
 * WebJars' own {@code pom.properties}, so the pom is the one place that names them.
 */
public final class WebJars {

    /**
     * The d3 modules the widgets use, each after the modules it needs: their UMD builds add
     * themselves to one global {@code d3}, like d3's full bundle, at half its size. d3-time and
     * d3-time-format are there because d3-scale needs them.
     */
    static final List<String> D3_MODULES = List.of("d3-array", "d3-color", "d3-format",
            "d3-interpolate", "d3-time", "d3-time-format", "d3-scale", "d3-scale-chromatic",
            "d3-selection", "d3-axis", "d3-path", "d3-shape");

    /**
     * The KaTeX fonts that nearly every formula uses (upright letters and digits, italic
     * variables, square roots and large brackets), which a page with typeset formulas asks for
     * at once rather than after its styles: the first screen's formulas wait for them. The page
     * preloads the build's subsets of them ({@link KatexFonts}), or these full fonts where the
     * build wrote none.
     */
    static final List<String> KATEX_FONTS = List.of("Main-Regular", "Math-Italic",
            "Size1-Regular");

    /**
     * The libraries' paths, as the templates see them: {@code {webjars.katexJs}}; KaTeX's
     * common fonts; the d3 modules' scripts in loading order.
     */
    public record Paths(String katexJs, String katexCss, List<String> katexFonts,
            List<String> d3Scripts, String lzStringJs) {

        /** The d3 scripts separated by spaces, for an attribute of the page's script tag. */
        public String d3Js() {
            return String.join(" ", d3Scripts);
        }
    }

    @TemplateGlobal
    public static final Paths webjars = new Paths(
            root("katex") + "/dist/katex.min.js",
            root("katex") + "/dist/katex.min.css",
            KATEX_FONTS.stream().map((font) -> root("katex") + "/dist/fonts/KaTeX_" + font
                    + ".woff2").toList(),
            D3_MODULES.stream().map((name) -> root(name) + "/dist/" + name + ".min.js").toList(),
            root("lz-string") + "/libs/lz-string.min.js");

    private WebJars() {
    }

    /** {@code /webjars/NAME/VERSION} of the npm WebJar {@code NAME} on the class path. */
    static String root(String name) {
        String file = "/META-INF/maven/org.webjars.npm/" + name + "/pom.properties";
        try (InputStream in = WebJars.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IllegalStateException("WebJar " + name + " is not on the class path ("
                        + file + " missing)");
            }
            Properties properties = new Properties();
            properties.load(in);
            return "/webjars/" + name + "/" + properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
