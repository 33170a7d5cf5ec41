package dev.mhanotebook.chapters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The formulas the build typeset with KaTeX, so that pages arrive with their math already laid
 * out and the browser runs no KaTeX for them. The build ({@code TypesetFormulas}, run by Maven
 * after the tests compile) finds every formula of the chapters and the tutorial pages, has
 * KaTeX's own script render it in a JavaScript engine, and writes {@value #RESOURCE}; this class
 * only reads that table.
 *
 * <p>A page's math leaves the chapter layer as TeX source: {@code <span class="math
 * math-inline">TeX</span>} or {@code <div class="math math-display">TeX</div>}, HTML-escaped.
 * {@link #typeset(String)} replaces each one the table holds by KaTeX's HTML and MathML, in the
 * same element with the class {@code typeset} added. One the table lacks (a chapter edited while
 * {@code quarkus:dev} runs) stays TeX, and the page renders it with KaTeX in the browser, as it
 * does the shape trace's formulas, which the API makes at run time.
 */
public final class Formulas {
    /** The classpath resource the build writes. */
    public static final String RESOURCE = "formulas/katex.json";

    /** An element of TeX source as the chapter layer and the templates write it. */
    private static final Pattern SOURCE = Pattern.compile(
            "<(span|div) class=\"math math-(inline|display)\">([^<]*)</\\1>");

    private static final Formulas NONE = new Formulas("", Map.of(), Map.of());

    /** The table as a file: which KaTeX made it, and the HTML of each formula by its TeX. */
    public record Table(String katex, Map<String, String> inline, Map<String, String> display) {
    }

    private final String katexVersion;
    private final Map<String, String> inline;
    private final Map<String, String> display;

    private Formulas(String katexVersion, Map<String, String> inline,
            Map<String, String> display) {
        this.katexVersion = katexVersion;
        this.inline = Map.copyOf(inline);
        this.display = Map.copyOf(display);
    }

    /** The table the build wrote, or an empty one (every formula left to the browser). */
    public static Formulas load() {
        try (InputStream in = Thread.currentThread().getContextClassLoader()
                .getResourceAsStream(RESOURCE)) {
            if (in == null) {
                return NONE;
            }
            return of(new ObjectMapper().readValue(in, Table.class));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + RESOURCE, e);
        }
    }

    /** The formulas of {@code table}. */
    static Formulas of(Table table) {
        return new Formulas(table.katex(), table.inline(), table.display());
    }

    /** A formula as the page would write it: TeX, and whether it is display math. */
    public record Tex(String source, boolean display) {
    }

    /** Every formula of {@code html} that is still TeX source, in order, each once. */
    public static Set<Tex> find(String html) {
        Set<Tex> found = new LinkedHashSet<>();
        Matcher m = SOURCE.matcher(html);
        while (m.find()) {
            found.add(new Tex(unescape(m.group(3)), "display".equals(m.group(2))));
        }
        return found;
    }

    /** {@code html} with every formula the table holds typeset. */
    public String typeset(String html) {
        if (inline.isEmpty() && display.isEmpty()) {
            return html;
        }
        Matcher m = SOURCE.matcher(html);
        StringBuilder out = null;
        int done = 0;
        while (m.find()) {
            boolean isDisplay = "display".equals(m.group(2));
            String typeset = (isDisplay ? display : inline).get(unescape(m.group(3)));
            if (typeset == null) {
                continue;
            }
            if (out == null) {
                out = new StringBuilder(html.length() * 3);
            }
            out.append(html, done, m.start()).append('<').append(m.group(1))
                    .append(" class=\"math math-").append(m.group(2)).append(" typeset\">")
                    .append(typeset).append("</").append(m.group(1)).append('>');
            done = m.end();
        }
        return out == null ? html : out.append(html, done, html.length()).toString();
    }

    /** The KaTeX version that typeset the table, empty when there is none. */
    public String katexVersion() {
        return katexVersion;
    }

    /** How many formulas the table holds. */
    public int size() {
        return inline.size() + display.size();
    }

    /** The TeX of HTML-escaped text, as CommonMark and Qute escape it. */
    static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&#x27;", "'").replace("&amp;", "&");
    }
}
