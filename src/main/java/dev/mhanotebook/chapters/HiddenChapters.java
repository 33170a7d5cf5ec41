package dev.mhanotebook.chapters;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The chapters a teacher hides with {@code mha.chapters.hidden} ({@code MHA_CHAPTERS_HIDDEN}), a
 * comma-separated list of slugs. A hidden chapter is left out of the index, the pager, search and
 * every page's chapter list, answers 404, and links to it in other chapters render as plain text.
 */
public final class HiddenChapters {
    static final String PROPERTY = "mha.chapters.hidden";
    private static final Pattern CHAPTER_LINK = Pattern.compile("/chapters/([^/?#]+)/?([?#].*)?");

    private final Set<String> slugs;

    private HiddenChapters(Set<String> slugs) {
        this.slugs = Set.copyOf(slugs);
    }

    /** Hides nothing. */
    static HiddenChapters none() {
        return new HiddenChapters(Set.of());
    }

    /**
     * Checks the setting against the chapters that exist.
     *
     * @param setting the configured slugs, each possibly padded with spaces; blanks are ignored
     * @param known   the slugs of every chapter in {@code content/}, in reading order
     * @throws ChapterException naming the setting, the unknown slug and the known ones, or when
     *         every chapter would be hidden (the site would open empty)
     */
    static HiddenChapters of(List<String> setting, List<String> known) {
        Set<String> hidden = new LinkedHashSet<>();
        for (String entry : setting) {
            String slug = entry.strip();
            if (slug.isEmpty()) {
                continue;
            }
            if (!known.contains(slug)) {
                throw new ChapterException(PROPERTY + " (MHA_CHAPTERS_HIDDEN) names no chapter '"
                        + slug + "'; the chapters are: " + String.join(", ", known));
            }
            hidden.add(slug);
        }
        if (!known.isEmpty() && hidden.containsAll(known)) {
            throw new ChapterException(PROPERTY + " (MHA_CHAPTERS_HIDDEN) hides every chapter ("
                    + String.join(", ", hidden) + "); at least one must stay shown");
        }
        return new HiddenChapters(hidden);
    }

    public boolean hides(String slug) {
        return slugs.contains(slug);
    }

    /** Whether {@code destination}, a link's target, opens a hidden chapter on this site. */
    boolean hidesLink(String destination) {
        Matcher m = CHAPTER_LINK.matcher(destination);
        return m.matches() && hides(m.group(1));
    }

    /** The hidden slugs, for the start-up log. */
    public Set<String> slugs() {
        return slugs;
    }
}
