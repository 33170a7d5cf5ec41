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

    /**
     * A heading of the table of contents; {@code id} is the anchor of the heading element,
     * {@code text} its plain text (math as TeX), {@code html} what the contents list shows (math
     * as the heading shows it, once {@link ChapterLibrary} has typeset it).
     */
    public record Heading(int level, String id, String text, String html) {
    }

    /** This chapter with its contents list's formulas typeset. */
    Chapter typesetToc(Formulas formulas) {
        return new Chapter(slug, order, title, summary, html, toc.stream()
                .map(h -> new Heading(h.level(), h.id(), h.text(), formulas.typeset(h.html())))
                .toList(), experiments);
    }
}
