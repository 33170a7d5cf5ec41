package dev.mhanotebook.chapters;

import java.util.List;

/**
 * One chapter, rendered once when the app starts.
 *
 * @param slug        the URL name, {@code /chapters/<slug>}
 * @param order       the number prefix of the file name; chapters are read in this order
 * @param title       the text of the chapter's first {@code #} heading
 * @param summary     the text of its first paragraph, for the index
 * @param html        the body, without the title
 * @param toc         the {@code ##} and {@code ###} headings, in order
 * @param experiments the experiments the chapter embeds, in order
 */
public record Chapter(String slug, int order, String title, String summary, String html,
        List<Heading> toc, List<ExperimentView> experiments) {

    public String path() {
        return "/chapters/" + slug;
    }

    /** A heading of the table of contents; {@code id} is the anchor of the heading element. */
    public record Heading(int level, String id, String text) {
    }
}
