package dev.mhanotebook.chapters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;

/**
 * Typesets every formula of the chapters and the tutorial pages with KaTeX at build time and
 * writes the table {@link Formulas} serves ({@value Formulas#RESOURCE}). Maven runs it after the
 * tests compile ({@code process-test-classes}, pom.xml), on the compiled app's classpath, so the
 * chapters are read and rendered by the chapter layer itself, from the same {@code content/}.
 *
 * <p>KaTeX runs as its own script, the one from the WebJar the browser loads, in GraalJS (a
 * build-only dependency; the app does not carry it). A formula KaTeX cannot parse stops the build
 * with the formula's TeX and KaTeX's message, as a broken chapter stops the app.
 *
 * <p>When the table already holds exactly the formulas found, typeset by the same KaTeX, it is
 * left alone, so a build that changed no formula does not start the JavaScript engine.
 *
 * <p>Then {@link SubsetKatexFonts} cuts KaTeX's fonts down to the characters the table draws.
 *
 * <p>Arguments: the classes folder ({@code target/classes}), where it finds {@code templates/}
 * and writes the table.
 */
public final class TypesetFormulas {
    /** A Qute expression in a template's math element (the search page's excerpts): not TeX. */
    private static final Pattern TEMPLATE_EXPRESSION = Pattern.compile("\\{[a-zA-Z_.]+\\}");

    private TypesetFormulas() {
    }

    public static void main(String[] args) throws IOException {
        Path classes = Path.of(args[0]);
        long start = System.nanoTime();
        Set<Formulas.Tex> formulas = new LinkedHashSet<>();
        for (Chapter c : ChapterLibrary.shown(ChapterLibrary.files(), List.of(), view -> "",
                ChapterLibrary.readSources())) {
            formulas.addAll(Formulas.find(c.html()));
        }
        try (Stream<Path> templates = Files.walk(classes.resolve("templates"))) {
            for (Path t : templates.filter(p -> p.toString().endsWith(".html")).sorted()
                    .toList()) {
                Formulas.find(Files.readString(t)).stream()
                        .filter(f -> !TEMPLATE_EXPRESSION.matcher(f.source()).matches())
                        .forEach(formulas::add);
            }
        }
        String version = WebJars.root("katex").replaceAll(".*/", "");
        Path out = classes.resolve(Formulas.RESOURCE);
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        Formulas.Table held = Files.exists(out)
                ? json.readValue(out.toFile(), Formulas.Table.class) : null;
        if (held != null && holdsExactly(held, version, formulas)) {
            System.out.printf("TypesetFormulas: %s is up to date (%d formulas, KaTeX %s)%n",
                    out, formulas.size(), version);
            SubsetKatexFonts.write(classes, held);
            return;
        }
        Formulas.Table table = typeset(formulas, version);
        Files.createDirectories(out.getParent());
        json.writeValue(out.toFile(), table);
        System.out.printf("TypesetFormulas: %d formulas typeset with KaTeX %s into %s in %d ms%n",
                formulas.size(), version, out, (System.nanoTime() - start) / 1_000_000);
        SubsetKatexFonts.write(classes, table);
    }

    private static boolean holdsExactly(Formulas.Table table, String version,
            Set<Formulas.Tex> formulas) {
        Set<Formulas.Tex> held = new LinkedHashSet<>();
        table.inline().keySet().forEach(tex -> held.add(new Formulas.Tex(tex, false)));
        table.display().keySet().forEach(tex -> held.add(new Formulas.Tex(tex, true)));
        return version.equals(table.katex()) && held.equals(formulas);
    }

    private static Formulas.Table typeset(Set<Formulas.Tex> formulas, String version)
            throws IOException {
        String script = "META-INF/resources/webjars/katex/" + version + "/dist/katex.min.js";
        String katexJs;
        try (InputStream in = TypesetFormulas.class.getClassLoader().getResourceAsStream(script)) {
            if (in == null) {
                throw new IllegalStateException(script + " is not on the class path");
            }
            katexJs = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, String> inline = new TreeMap<>();
        Map<String, String> display = new TreeMap<>();
        List<String> errors = new ArrayList<>();
        // No JIT compiler on a stock JDK: GraalJS interprets, a few milliseconds a formula.
        try (Context js = Context.newBuilder("js")
                .option("engine.WarnInterpreterOnly", "false").build()) {
            js.eval(Source.newBuilder("js", katexJs, "katex.min.js").build());
            // The browser's options (web/js/math.js), but a formula KaTeX cannot parse throws.
            Value render = js.eval("js", "(tex, display) => katex.renderToString(tex,"
                    + " { displayMode: display, throwOnError: true, output: 'htmlAndMathml' })");
            for (Formulas.Tex f : formulas) {
                try {
                    String html = render.execute(f.source(), f.display()).asString();
                    (f.display() ? display : inline).put(f.source(), html);
                } catch (PolyglotException e) {
                    errors.add((f.display() ? "display" : "inline") + " formula " + f.source()
                            + ": " + e.getMessage());
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new IllegalStateException("KaTeX cannot typeset " + errors.size()
                    + " formula(s):\n" + String.join("\n", errors));
        }
        return new Formulas.Table(version, inline, display);
    }
}
