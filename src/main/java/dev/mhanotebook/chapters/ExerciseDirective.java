package dev.mhanotebook.chapters;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.CustomBlock;
import org.commonmark.parser.Parser;
import org.commonmark.parser.PostProcessor;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * An exercise in a chapter, written as a fenced block whose info string is {@code exercise}:
 *
 * <pre>
 * ```exercise
 * id: scores-shape
 * kind: shape
 * question: What is the shape of the scores for one head? ($B = 1$)
 * answer: [1, 2, 6, 6]
 * explanation: One row per query and one column per key.
 * ```
 * </pre>
 *
 * {@code kind} is {@code shape} (answer: a list of whole numbers), {@code number} (answer: a
 * number, optional {@code tolerance}, absolute, default 1e-9·max(1, |answer|)) or {@code choice}
 * (answer: the text of the right option; {@code options: a | b | c}). {@code question} and
 * {@code explanation} are Markdown with math; a line that does not start with a known key
 * continues the value above it. The page checks answers in the browser (web/js/exercise.js).
 */
public final class ExerciseDirective extends CustomBlock implements FencedDirectives.Directive {
    static final Set<String> KINDS = Set.of("shape", "number", "choice");
    private static final Set<String> KEYS =
            Set.of("id", "kind", "title", "question", "answer", "options", "tolerance",
                    "explanation");
    private static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");
    private static final Pattern KEY_LINE = Pattern.compile("^([a-z]+):\\s*(.*)$");
    private static final Pattern SHAPE = Pattern.compile("\\[\\s*\\d+(\\s*,\\s*\\d+)*\\s*]");
    private static final List<Extension> EXTENSIONS =
            List.of(TablesExtension.create(), MathExtension.create());
    private static final Parser PARSER = Parser.builder().extensions(EXTENSIONS).build();
    private static final HtmlRenderer HTML = HtmlRenderer.builder().extensions(EXTENSIONS).build();

    private final String id;
    private final String kind;
    private final String title;
    private final String questionHtml;
    private final String answerJson;
    private final double tolerance;
    private final List<String> options;
    private final String explanationHtml;

    private ExerciseDirective(Map<String, String> s) {
        id = s.getOrDefault("id", "");
        if (!ID.matcher(id).matches()) {
            throw new ChapterException("exercise id must match " + ID + " (id='" + id + "')");
        }
        kind = s.getOrDefault("kind", "");
        if (!KINDS.contains(kind)) {
            throw new ChapterException("exercise '" + id + "' has kind '" + kind
                    + "'; allowed: shape, number, choice");
        }
        for (String key : List.of("question", "answer", "explanation")) {
            if (s.getOrDefault(key, "").isBlank()) {
                throw new ChapterException("exercise '" + id + "' needs '" + key + ":'");
            }
        }
        String answer = s.get("answer").strip();
        options = s.containsKey("options")
                ? List.of(s.get("options").split("\\s*\\|\\s*")).stream()
                        .map(String::strip).filter(o -> !o.isEmpty()).toList()
                : List.of();
        double tol = 0;
        switch (kind) {
            case "shape" -> {
                if (!SHAPE.matcher(answer).matches()) {
                    throw new ChapterException("exercise '" + id
                            + "': a shape answer is a list of whole numbers such as [1, 2, 6, 6]"
                            + " (was '" + answer + "')");
                }
                answer = answer.replaceAll("\\s+", "");
            }
            case "number" -> {
                double value = number(answer, "answer");
                tol = s.containsKey("tolerance") ? number(s.get("tolerance"), "tolerance")
                        : 1e-9 * Math.max(1, Math.abs(value));
                if (tol < 0) {
                    throw new ChapterException("exercise '" + id + "': tolerance must be >= 0");
                }
                answer = Double.toString(value);
            }
            default -> {
                if (options.size() < 2 || !options.contains(answer)) {
                    throw new ChapterException("exercise '" + id + "': a choice needs at least two"
                            + " options, one of them the answer (answer='" + answer + "', options="
                            + options + ")");
                }
                answer = json(answer);
            }
        }
        answerJson = answer;
        tolerance = tol;
        title = s.getOrDefault("title", switch (kind) {
            case "shape" -> "Predict the shape";
            case "number" -> "Work it out";
            default -> "Choose the answer";
        });
        questionHtml = markdown(s.get("question"));
        explanationHtml = markdown(s.get("explanation"));
    }

    @Override
    public String id() {
        return id;
    }

    public String kind() {
        return kind;
    }

    private double number(String text, String key) {
        try {
            return Double.parseDouble(text.strip());
        } catch (NumberFormatException e) {
            throw new ChapterException("exercise '" + id + "': " + key + " must be a number (was '"
                    + text + "')");
        }
    }

    static Map<String, String> parse(String body) {
        Map<String, String> settings = new LinkedHashMap<>();
        String last = null;
        for (String line : body.split("\n")) {
            Matcher m = KEY_LINE.matcher(line);
            if (m.matches() && KEYS.contains(m.group(1))) {
                last = m.group(1);
                if (settings.put(last, m.group(2).strip()) != null) {
                    throw new ChapterException("exercise key '" + last + "' is given twice");
                }
            } else if (line.isBlank() && last == null) {
                continue;
            } else if (last == null) {
                throw new ChapterException("exercise line must be 'key: value' with a key of "
                        + KEYS + " (was '" + line + "')");
            } else {
                settings.put(last, settings.get(last) + "\n" + line);
            }
        }
        return settings;
    }

    private static String markdown(String text) {
        return HTML.render(PARSER.parse(text.strip()));
    }

    /** The exercise as HTML: question, answer form, feedback line and hidden explanation. */
    @Override
    public String html() {
        String dom = "exercise-" + id;
        StringBuilder h = new StringBuilder();
        h.append("<section class=\"exercise\" id=\"").append(dom)
                .append("\" data-testid=\"exercise\"")
                .append(" data-exercise-id=\"").append(id).append("\" data-exercise-kind=\"")
                .append(kind).append("\" data-answer=\"").append(escape(answerJson)).append('"');
        if ("number".equals(kind)) {
            h.append(" data-tolerance=\"").append(tolerance).append('"');
        }
        h.append(" aria-labelledby=\"").append(dom).append("-title\">\n");
        h.append("<h3 class=\"exercise-title\" id=\"").append(dom).append("-title\">")
                .append("<span class=\"exercise-badge\">Exercise</span> ").append(escape(title))
                .append("</h3>\n");
        h.append("<div class=\"exercise-question\" id=\"").append(dom).append("-question\">")
                .append(questionHtml).append("</div>\n");
        h.append("<form class=\"exercise-form\" novalidate>\n");
        if ("choice".equals(kind)) {
            h.append("<fieldset class=\"exercise-options\" aria-describedby=\"").append(dom)
                    .append("-question\"><legend>Choose one</legend>\n");
            for (int i = 0; i < options.size(); i++) {
                String inputId = dom + "-option-" + i;
                h.append("<div class=\"exercise-option\">")
                        .append("<input type=\"radio\" name=\"answer\" id=\"")
                        .append(inputId).append("\" value=\"").append(escape(options.get(i)))
                        .append("\"><label for=\"").append(inputId).append("\">")
                        .append(inlineMarkdown(options.get(i))).append("</label></div>\n");
            }
            h.append("</fieldset>\n");
        } else {
            String inputId = dom + "-input";
            boolean shape = "shape".equals(kind);
            h.append("<div class=\"exercise-field\"><label for=\"").append(inputId).append("\">")
                    .append(shape ? "Your answer, as sizes in brackets" : "Your answer")
                    .append("</label>\n<input type=\"text\" id=\"").append(inputId)
                    .append("\" name=\"answer\" autocomplete=\"off\" spellcheck=\"false\"")
                    .append(" data-testid=\"exercise-input\"")
                    .append(shape ? "" : " inputmode=\"decimal\"")
                    .append(" aria-describedby=\"").append(dom).append("-question ").append(dom)
                    .append("-hint\">\n<p class=\"help\" id=\"").append(dom).append("-hint\">")
                    .append(shape ? "For example [3, 4] for 3 rows of 4 numbers."
                            : "A number; a decimal point, not a comma.")
                    .append("</p></div>\n");
        }
        h.append("<div class=\"exercise-actions\"><button type=\"submit\" class=\"exercise-check\"")
                .append(" data-testid=\"exercise-check\" disabled>Check</button></div>\n</form>\n");
        h.append("<p class=\"exercise-feedback\" role=\"status\" aria-live=\"polite\"")
                .append(" data-testid=\"exercise-feedback\" data-result=\"none\"></p>\n");
        h.append("<div class=\"exercise-explanation\" data-testid=\"exercise-explanation\" hidden>")
                .append("<p class=\"exercise-explanation-title\"><strong>Why</strong></p>")
                .append(explanationHtml).append("</div>\n</section>\n");
        return h.toString();
    }

    private static String inlineMarkdown(String text) {
        String html = markdown(text).strip();
        return html.startsWith("<p>") && html.endsWith("</p>")
                ? html.substring(3, html.length() - 4) : html;
    }

    private static String json(String text) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;");
    }

    /** Replaces each {@code ```exercise} fenced block by an {@link ExerciseDirective}. */
    static PostProcessor finder() {
        return FencedDirectives.finder("exercise", "exercise",
                text -> new ExerciseDirective(parse(text)));
    }
}
