package dev.mhanotebook.chapters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.TemplateGlobal;

/**
 * KaTeX's fonts cut down to the characters the typeset formulas draw. The build
 * ({@code SubsetKatexFonts}, after {@code TypesetFormulas}) writes the subsets under
 * {@code /katex-fonts/VERSION-HASH/} and lists them in {@value #RESOURCE}; this class reads the
 * list and gives the pages their {@code @font-face} rules and preloads. Without the list (a
 * {@code quarkus:dev} run, where the build step does not run) a page keeps KaTeX's full fonts.
 */
public final class KatexFonts {
    /** The classpath resource the build writes. */
    public static final String RESOURCE = "formulas/fonts.json";

    /** The folder, under the served root, of the subsets. */
    public static final String FOLDER = "katex-fonts";

    /**
     * One subset: the {@code @font-face} descriptors of the KaTeX face it replaces (as in
     * {@code katex.min.css}), its file and the characters it holds.
     */
    public record Face(String family, int weight, String style, String file,
            String unicodeRange) {
    }

    /** The subsets of one build: the folder they are served from, and each face. */
    public record Subsets(String path, List<Face> faces) {

        /**
         * The {@code @font-face} rules of the subsets, for a style element after KaTeX's
         * stylesheet: each covers only its characters, so the browser takes it over KaTeX's
         * full face for those and falls back to the full face for any other.
         */
        public String css() {
            return faces.stream().map(f -> "@font-face{font-family:" + f.family()
                    + ";font-style:" + f.style() + ";font-weight:" + f.weight()
                    + ";src:url(" + path + "/" + f.file() + ") format(\"truetype\")"
                    + ";unicode-range:" + f.unicodeRange() + "}")
                    .collect(Collectors.joining("\n"));
        }

        /** The subsets of the faces nearly every formula uses, which a page fetches at once. */
        public List<String> preloads() {
            List<String> common = WebJars.KATEX_FONTS.stream()
                    .map(font -> "KaTeX_" + font + ".ttf").toList();
            return faces.stream().map(Face::file).filter(common::contains)
                    .map(file -> path + "/" + file).toList();
        }
    }

    private static final Subsets NONE = new Subsets("", List.of());

    /** The subsets of this build. */
    public static final Subsets fontSubsets = load();

    /**
     * Their {@code @font-face} rules, made once for every page that carries them; empty without
     * subsets. The templates see {@code {fontSubsetsCss}}.
     */
    @TemplateGlobal
    public static final String fontSubsetsCss = fontSubsets.css();

    /** The subsets every page with formulas preloads: {@code {fontSubsetPreloads}}. */
    @TemplateGlobal
    public static final List<String> fontSubsetPreloads = fontSubsets.preloads();

    private KatexFonts() {
    }

    /** The list the build wrote, or none (pages then use KaTeX's full fonts). */
    static Subsets load() {
        try (InputStream in = KatexFonts.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            return in == null ? NONE : new ObjectMapper().readValue(in, Subsets.class);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }
}
