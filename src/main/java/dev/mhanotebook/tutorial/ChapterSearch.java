package dev.mhanotebook.tutorial;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.mhanotebook.chapters.Chapter;
import dev.mhanotebook.chapters.ChapterLibrary;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Full-text search over the rendered chapters, one entry per section (the text under a
 * {@code ##} or {@code ###} heading, or the chapter's opening before its first heading). A
 * section matches when it contains every word of the query, case-insensitively; sections whose
 * heading or chapter title contains a word rank first.
 */
@ApplicationScoped
public class ChapterSearch {
    private static final Pattern HEADING =
            Pattern.compile("<h([23])[^>]*\\bid=\"([^\"]+)\"[^>]*>(.*?)</h\\1>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    /** A chapter's code panels quote source files; search finds the prose only. */
    private static final Pattern CODE_PANEL =
            Pattern.compile("<details class=\"code-panel\".*?</details>", Pattern.DOTALL);
    /** An experiment's form and result, and a displayed formula's TeX, are not prose either. */
    private static final Pattern EXPERIMENT =
            Pattern.compile("<section class=\"experiment\".*?</section>", Pattern.DOTALL);
    private static final Pattern DISPLAY_MATH =
            Pattern.compile("<div class=\"math math-display\">.*?</div>", Pattern.DOTALL);
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final int SNIPPET = 200;
    private static final int MAX_RESULTS = 30;

    /** One section of a chapter, as plain text. */
    record Section(Chapter chapter, String anchor, String heading, String text) {
    }

    /**
     * A section that matched.
     *
     * @param before  the snippet up to the first match
     * @param match   the matched word as written in the text
     * @param after   the rest of the snippet
     */
    public record Hit(String chapterTitle, int chapterOrder, String heading, String href,
            String before, String match, String after) {
    }

    @Inject
    ChapterLibrary library;

    private List<Section> sections = List.of();

    @PostConstruct
    void index() {
        List<Section> all = new ArrayList<>();
        for (Chapter c : library.all()) {
            all.addAll(split(c));
        }
        sections = List.copyOf(all);
    }

    static List<Section> split(Chapter c) {
        List<Section> out = new ArrayList<>();
        String html = DISPLAY_MATH.matcher(EXPERIMENT.matcher(c.html()).replaceAll(" "))
                .replaceAll(" ");
        Matcher m = HEADING.matcher(html);
        int start = 0;
        String anchor = "";
        String heading = c.title();
        while (m.find()) {
            addSection(out, c, anchor, heading, html.substring(start, m.start()));
            anchor = m.group(2);
            heading = plain(m.group(3));
            start = m.end();
        }
        addSection(out, c, anchor, heading, html.substring(start));
        return out;
    }

    private static void addSection(List<Section> out, Chapter c, String anchor, String heading,
            String html) {
        String text = plain(html);
        if (!text.isEmpty() || !anchor.isEmpty()) {
            out.add(new Section(c, anchor, heading, text));
        }
    }

    /** Text without code panels, tags and entities, whitespace collapsed. */
    static String plain(String html) {
        String text = TAG.matcher(CODE_PANEL.matcher(html).replaceAll(" ")).replaceAll(" ");
        text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return SPACE.matcher(text).replaceAll(" ").strip();
    }

    /** The query's words: lower case, at most 8, each at least one character. */
    static List<String> words(String query) {
        if (query == null) {
            return List.of();
        }
        List<String> words = new ArrayList<>();
        for (String w : query.toLowerCase(Locale.ROOT).split("[\\s,;]+")) {
            if (!w.isBlank() && words.size() < 8) {
                words.add(w.strip());
            }
        }
        return words;
    }

    /** Sections containing every word of {@code query}, best first; empty for a blank query. */
    public List<Hit> search(String query) {
        List<String> words = words(query);
        if (words.isEmpty()) {
            return List.of();
        }
        record Scored(Section section, int score) {
        }
        List<Scored> found = new ArrayList<>();
        for (Section s : sections) {
            String body = s.text().toLowerCase(Locale.ROOT);
            String title = (s.heading() + " " + s.chapter().title()).toLowerCase(Locale.ROOT);
            int score = 0;
            boolean all = true;
            for (String w : words) {
                int inBody = count(body, w);
                boolean inTitle = title.contains(w);
                if (inBody == 0 && !inTitle) {
                    all = false;
                    break;
                }
                score += inBody + (inTitle ? 10 : 0);
            }
            if (all) {
                found.add(new Scored(s, score));
            }
        }
        found.sort(Comparator.comparingInt(Scored::score).reversed()
                .thenComparingInt(f -> f.section().chapter().order()));
        return found.stream().limit(MAX_RESULTS).map(f -> hit(f.section(), words)).toList();
    }

    private static int count(String text, String word) {
        int n = 0;
        for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length())) {
            n++;
        }
        return n;
    }

    private static Hit hit(Section s, List<String> words) {
        String text = s.text();
        String lower = text.toLowerCase(Locale.ROOT);
        int at = -1;
        String word = "";
        for (String w : words) {
            int i = lower.indexOf(w);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                word = w;
            }
        }
        String href = s.chapter().path() + (s.anchor().isEmpty() ? "" : "#" + s.anchor());
        if (at < 0) {
            String snippet = text.length() > SNIPPET ? text.substring(0, SNIPPET) + "…" : text;
            return new Hit(s.chapter().title(), s.chapter().order(), s.heading(), href, snippet,
                    "", "");
        }
        int from = Math.max(0, at - SNIPPET / 3);
        int to = Math.min(text.length(), at + word.length() + SNIPPET * 2 / 3);
        String before = (from > 0 ? "…" : "") + text.substring(from, at);
        String after = text.substring(at + word.length(), to) + (to < text.length() ? "…" : "");
        return new Hit(s.chapter().title(), s.chapter().order(), s.heading(), href, before,
                text.substring(at, at + word.length()), after);
    }
}
