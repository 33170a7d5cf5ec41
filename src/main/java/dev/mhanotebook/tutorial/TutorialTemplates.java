package dev.mhanotebook.tutorial;

import java.util.List;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** The pages beside the chapters, in {@code templates/tutorial/}; checked at build time. */
@CheckedTemplate(basePath = "tutorial")
final class TutorialTemplates {
    private TutorialTemplates() {
    }

    static native TemplateInstance notation();

    static native TemplateInstance glossary();

    static native TemplateInstance references();

    /** Every engine option on one page; {@code defaultsJson} is the form's starting request. */
    static native TemplateInstance playground(String defaultsJson,
            List<TutorialResource.SizeField> sizes);

    static native TemplateInstance search(String query, List<ChapterSearch.Hit> hits);
}
