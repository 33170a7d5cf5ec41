package dev.mhanotebook.tutorial;

import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>Inline math stays TeX in the index, so "d_k" finds the sections that write $d_k$; an excerpt
 * gives it back as math, typeset like the chapter's (Formulas), because TeX source such as
 * {@code \sqrt{d_k}} is not what a reader saw in the chapter.
 */
@ApplicationScoped
public class ChapterSearch {
    private static final Pattern HEADING =
            Pattern.compile("<h([23])[^>]*\\bid=\"([^\"]+)\"[^>]*>(.*?)</h\\1>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");
    /** Tags within a line of text, dropped without a space: "(<a>Vaswani</a>)" is "(Vaswani)". */
    private static final Pattern INLINE_TAG = Pattern.compile(
            "</?(?:a|em|strong|code|span|sup|sub|abbr|kbd|mark)\\b[^>]*>");
    /** A chapter's code panels quote source files; search finds the prose only. */
    private static final Pattern CODE_PANEL =
            Pattern.compile("<details class=\"code-panel\".*?</details>", Pattern.DOTALL);
    /** An experiment's form and result, and a displayed formula's TeX, are not prose either. */
    private static final Pattern EXPERIMENT =
            Pattern.compile("<section class=\"experiment\".*?</section>", Pattern.DOTALL);
    private static final Pattern DISPLAY_MATH =
            Pattern.compile("<div class=\"math math-display\">.*?</div>", Pattern.DOTALL);
    /** Inline math (and $$...$$ written inside a paragraph): HTML-escaped TeX. */
    private static final Pattern INLINE_MATH = Pattern.compile(
            "<span class=\"math math-(?:inline|display)\">(.*?)</span>", Pattern.DOTALL);
    /** Around the TeX of inline math in a section's text; private-use characters no one types. */
    static final char MATH_START = '\uE000';
    static final char MATH_END = '\uE001';
    private static final Pattern SPACE = Pattern.compile("\\s+");
    private static final int SNIPPET = 200;
    private static final int MAX_RESULTS = 30;

    /** One section of a chapter, as plain text. */
    record Section(Chapter chapter, String anchor, String heading, String text) {
    }

    /**
     * A section that matched.
     *
     * @param excerpt the text around the first match, in parts: every occurrence of a query word
     *                is a marked part of its own, and inline math a part of its own
     */
    public record Hit(String chapterTitle, int chapterOrder, String heading, String href,
            List<Part> excerpt) {
    }

    /**
     * A stretch of an excerpt: prose or, when {@code math}, the TeX of one inline formula;
     * {@code marked} when it is (prose) or contains (math) a word of the query.
     */
    public record Part(String text, boolean math, boolean marked) {
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
            heading = withoutMathMarks(plain(m.group(3)));
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

    /**
     * Text without code panels, tags and entities, whitespace collapsed; inline math as its TeX
     * between {@link #MATH_START} and {@link #MATH_END}.
     */
    static String plain(String html) {
        String text = CODE_PANEL.matcher(html).replaceAll(" ");
        text = INLINE_MATH.matcher(text).replaceAll(
                m -> Matcher.quoteReplacement(MATH_START + m.group(1) + MATH_END));
        text = TAG.matcher(INLINE_TAG.matcher(text).replaceAll("")).replaceAll(" ");
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

    /** Lower case, character by character, so indexes into it are indexes into {@code text}. */
    private static String lower(String text) {
        char[] chars = text.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i] = Character.toLowerCase(chars[i]);
        }
        return new String(chars);
    }

    private static String withoutMathMarks(String text) {
        return text.replace(String.valueOf(MATH_START), "").replace(String.valueOf(MATH_END), "");
    }

    private static Hit hit(Section s, List<String> words) {
        String text = s.text();
        int at = bestMatch(lower(text), words);
        String href = s.chapter().path() + (s.anchor().isEmpty() ? "" : "#" + s.anchor());
        int from = at < 0 ? 0 : wordStart(text, Math.max(0, at - SNIPPET / 3), at);
        int to = at < 0 ? Math.min(text.length(), SNIPPET)
                : Math.min(text.length(), at + SNIPPET * 2 / 3);
        // A formula is shown whole or not at all: half of its TeX would not render.
        int open = text.lastIndexOf(MATH_START, from);
        if (open >= 0 && text.lastIndexOf(MATH_END, from - 1) < open) {
            from = open;
        }
        open = text.lastIndexOf(MATH_START, to - 1);
        if (open >= 0 && text.lastIndexOf(MATH_END, to - 1) < open) {
            int end = text.indexOf(MATH_END, to);
            to = end < 0 ? text.length() : end + 1;
        }
        List<Part> parts = new ArrayList<>();
        if (from > 0) {
            parts.add(new Part("…", false, false));
        }
        parts.addAll(excerpt(text.substring(from, to), words));
        if (to < text.length()) {
            parts.add(new Part("…", false, false));
        }
        return new Hit(s.chapter().title(), s.chapter().order(), s.heading(), href, parts);
    }

    /**
     * Where the excerpt centres: the earliest occurrence of a word whose excerpt holds the most
     * different words of the query; -1 when the text has none (the heading matched).
     */
    private static int bestMatch(String lower, List<String> words) {
        int best = -1;
        long bestCount = 0;
        for (String w : words) {
            int seen = 0;
            for (int i = lower.indexOf(w); i >= 0 && seen < 50; i = lower.indexOf(w, i + 1)) {
                seen++;
                int from = Math.max(0, i - SNIPPET / 3);
                int to = Math.min(lower.length(), i + SNIPPET * 2 / 3);
                String window = lower.substring(from, to);
                long count = words.stream().filter(window::contains).count();
                if (count > bestCount || count == bestCount && i < best) {
                    best = i;
                    bestCount = count;
                }
            }
        }
        return best;
    }

    /** The first whole word's start at or after {@code from}, if it starts before {@code at}. */
    private static int wordStart(String text, int from, int at) {
        if (from == 0 || Character.isWhitespace(text.charAt(from - 1))) {
            return from;
        }
        int space = text.indexOf(' ', from);
        return space >= 0 && space < at ? space + 1 : from;
    }

    /** {@code text} split into prose and math parts, each occurrence of a word marked. */
    static List<Part> excerpt(String text, List<String> words) {
        List<Part> parts = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            int start = text.indexOf(MATH_START, i);
            int prose = start < 0 ? text.length() : start;
            markWords(parts, text.substring(i, prose), words);
            if (start < 0) {
                break;
            }
            int end = text.indexOf(MATH_END, start);
            end = end < 0 ? text.length() : end;
            String tex = text.substring(start + 1, end);
            String lowerTex = lower(tex);
            parts.add(new Part(tex, true, words.stream().anyMatch(lowerTex::contains)));
            i = end + 1;
        }
        return parts;
    }

    /** Adds {@code prose} to {@code parts}, every occurrence of any of {@code words} marked. */
    private static void markWords(List<Part> parts, String prose, List<String> words) {
        String lower = lower(prose);
        boolean[] marked = new boolean[prose.length()];
        for (String w : words) {
            for (int at = lower.indexOf(w); at >= 0; at = lower.indexOf(w, at + 1)) {
                Arrays.fill(marked, at, at + w.length(), true);
            }
        }
        int start = 0;
        for (int k = 1; k <= prose.length(); k++) {
            if (k == prose.length() || marked[k] != marked[start]) {
                parts.add(new Part(prose.substring(start, k), false, marked[start]));
                start = k;
            }
        }
    }
}
