package dev.mhanotebook.chapters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

import io.quarkus.qute.TemplateGlobal;

/**
 * Where the pages find the front-end libraries: WebJar paths with the version in them
 * ({@code /webjars/katex/0.16.4/dist/katex.min.js}), so that a browser may keep a file for a
 * year (a new version is a new path; see {@code CacheHeaders}). The versions are read from the
 * WebJars' own {@code pom.properties}, so the pom is the one place that names them.
 */
public final class WebJars {

    /** The libraries' paths, as the templates see them: {@code {webjars.katexJs}}. */
    public record Paths(String katexJs, String katexCss, String d3Js, String lzStringJs) {
    }

    @TemplateGlobal
    static final Paths webjars = new Paths(
            root("katex") + "/dist/katex.min.js",
            root("katex") + "/dist/katex.min.css",
            root("d3") + "/dist/d3.min.js",
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
