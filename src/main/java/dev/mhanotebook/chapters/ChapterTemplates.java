package dev.mhanotebook.chapters;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The chapter pages' templates, in {@code templates/chapters/}; checked at build time. */
@CheckedTemplate(basePath = "chapters")
final class ChapterTemplates {
    private ChapterTemplates() {
    }

    static native TemplateInstance index(List<Chapter> chapters);

    /** {@code body} is the chapter's HTML with its formulas typeset (ChapterLibrary.body). */
    static native TemplateInstance chapter(Chapter chapter, String body, Chapter previous,
            Chapter next, List<Chapter> chapters);

    /**
     * The 404 page: of chapter {@code slug}, or when that is null of any other {@code path} a
     * reader opened (PageNotFound).
     */
    static native TemplateInstance notFound(String slug, String path, List<Chapter> chapters);

    /** A source file the code panels quote, whole, with line numbers. */
    static native TemplateInstance source(SourceFile file);

    /** The 404 page of a source file that is not quoted. */
    static native TemplateInstance sourceNotFound(String name,
            java.util.Collection<SourceFile> files);

    /** The form of one experiment, placed where its directive stands in the Markdown. */
    static native TemplateInstance experiment(ExperimentView experiment);
}
