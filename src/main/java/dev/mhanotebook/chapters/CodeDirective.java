package dev.mhanotebook.chapters;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.commonmark.node.CustomBlock;
import org.commonmark.parser.PostProcessor;

/**
 * A panel "The code" in a chapter: the engine's own Java lines for a step beside the equivalent
 * PyTorch lines, written as a fenced block whose info string is {@code code}:
 *
 * <pre>
 * ```code
 * id: masks
 * java: VectorizedAttention.java#masked, Masks.java#masked
 * pytorch: components.py#masked
 * ```
 * </pre>
 *
 * Each reference is {@code FILE#REGION} of the {@link SourceLibrary}, the lines between a
 * region's markers in that file ({@link SourceFile}); the lines are taken when the chapter
 * loads, from the sources the build copied, so the page shows what was compiled. An unknown file
 * or region stops the chapter from loading. The panel is a closed {@code <details>}; the page
 * highlights the code (web/js/code-panel.js).
 */
public final class CodeDirective extends CustomBlock implements FencedDirectives.Directive {
    private static final Set<String> KEYS = Set.of("id", "title", "java", "pytorch");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");

    private final String id;
    private final String title;
    private final List<SourceFile.Region> java;
    private final List<SourceFile.Region> pytorch;

    private CodeDirective(Map<String, String> s, SourceLibrary sources) {
        for (String key : s.keySet()) {
            if (!KEYS.contains(key)) {
                throw new ChapterException("code panel key '" + key + "' is unknown; allowed: "
                        + KEYS);
            }
        }
        id = s.getOrDefault("id", "");
        if (!ID.matcher(id).matches()) {
            throw new ChapterException("code panel id must match " + ID + " (id='" + id + "')");
        }
        title = s.getOrDefault("title", "The code");
        java = pieces(s, "java", ".java", sources);
        pytorch = pieces(s, "pytorch", ".py", sources);
    }

    private List<SourceFile.Region> pieces(Map<String, String> s, String key, String suffix,
            SourceLibrary sources) {
        String value = s.getOrDefault(key, "");
        if (value.isBlank()) {
            throw new ChapterException("code panel '" + id + "' needs '" + key
                    + ": FILE#REGION, …'");
        }
        List<SourceFile.Region> list = new ArrayList<>();
        for (String reference : value.split("\\s*,\\s*")) {
            String ref = reference.strip();
            if (!ref.contains(suffix + "#")) {
                throw new ChapterException("code panel '" + id + "': " + key + " names "
                        + suffix + " files only (was '" + ref + "')");
            }
            try {
                list.addAll(sources.resolve(ref));
            } catch (ChapterException e) {
                throw new ChapterException("code panel '" + id + "': " + e.getMessage());
            }
        }
        return List.copyOf(list);
    }

    @Override
    public String id() {
        return id;
    }

    /** The Java pieces, in the order the directive names them. */
    public List<SourceFile.Region> java() {
        return java;
    }

    /** The PyTorch pieces, in the order the directive names them. */
    public List<SourceFile.Region> pytorch() {
        return pytorch;
    }

    /** The panel: a closed {@code <details>} with the two columns of code. */
    @Override
    public String html() {
        String dom = "code-" + id;
        StringBuilder h = new StringBuilder();
        h.append("<details class=\"code-panel\" id=\"").append(dom)
                .append("\" data-testid=\"code-panel\" data-code-id=\"").append(id).append("\">\n")
                .append("<summary><span class=\"code-panel-title\">").append(escape(title))
                .append("</span> <span class=\"code-panel-hint\">the engine's Java beside the")
                .append(" same step in PyTorch</span></summary>\n")
                .append("<div class=\"code-panel-columns\">\n");
        column(h, "java", "The engine, in Java with ND4J (what this server runs)", java);
        column(h, "python", "The same step in PyTorch", pytorch);
        h.append("</div>\n</details>\n");
        return h.toString();
    }

    private static void column(StringBuilder h, String language, String heading,
            List<SourceFile.Region> pieces) {
        h.append("<div class=\"code-column\" data-testid=\"code-").append(language)
                .append("\">\n<p class=\"code-column-title\">")
                .append(escape(heading)).append("</p>\n");
        for (SourceFile.Region r : pieces) {
            String label = r.label();
            h.append("<figure class=\"code-piece\" data-testid=\"code-piece\" data-file=\"")
                    .append(escape(r.file())).append("\" data-region=\"").append(escape(r.name()))
                    .append("\" data-first-line=\"").append(r.firstLine())
                    .append("\" data-last-line=\"").append(r.lastLine()).append("\">\n")
                    .append("<figcaption><a href=\"/source/").append(escape(r.file()))
                    .append("#L").append(r.firstLine()).append("\">").append(escape(label))
                    .append("</a></figcaption>\n")
                    .append("<div class=\"code-scroll\" tabindex=\"0\" role=\"region\"")
                    .append(" aria-label=\"").append(escape(label)).append("\">")
                    .append("<pre class=\"code-gutter\" aria-hidden=\"true\">");
            for (int n = r.firstLine(); n <= r.lastLine(); n++) {
                h.append(n).append(n < r.lastLine() ? "\n" : "");
            }
            h.append("</pre><pre class=\"code-text\"><code class=\"language-").append(language)
                    .append("\" data-testid=\"code-text\">").append(escape(r.dedented()))
                    .append("</code></pre></div>\n</figure>\n");
        }
        h.append("</div>\n");
    }

    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /** Replaces each {@code ```code} block by a {@link CodeDirective} quoting {@code sources}. */
    static PostProcessor finder(SourceLibrary sources) {
        return FencedDirectives.finder("code", "code panel",
                text -> new CodeDirective(ExperimentDirective.parse(text, "code panel"), sources));
    }
}
