package dev.mhanotebook.chapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Markdown rendering without Quarkus: math survives, directives resolve, bad ones fail loudly. */
class ChapterMarkdownTest {
    private final ChapterMarkdown markdown =
            new ChapterMarkdown(view -> "<form data-experiment=\"" + view.kind() + "\"></form>");

    private Chapter render(String body) {
        return markdown.render("test", 1, "# Title\n\n" + body);
    }

    @Test
    void inlineMathKeepsUnderscoresAndBackslashes() {
        String html = render("Let $W^Q_i \\in \\mathbb{R}^{d_\\text{model} \\times d_k}$ and"
                + " $a_1 b_2$ be *given*.").html();
        assertTrue(html.contains("<span class=\"math math-inline\">W^Q_i \\in "
                + "\\mathbb{R}^{d_\\text{model} \\times d_k}</span>"), html);
        assertTrue(html.contains("<span class=\"math math-inline\">a_1 b_2</span>"), html);
        assertTrue(html.contains("<em>given</em>"), html);
    }

    @Test
    void displayMathBlockIsKeptVerbatimAndEscaped() {
        String html = render("Before.\n\n$$\nA_{ij} = \\frac{a_i}{b_j} < 1 \\\\\nx_1\n$$\n\nAfter.")
                .html();
        assertTrue(html.contains("<div class=\"math math-display\">A_{ij} = \\frac{a_i}{b_j}"
                + " &lt; 1 \\\\\nx_1</div>"), html);
        assertTrue(html.contains("<p>After.</p>"), html);
    }

    @Test
    void dollarAmountsStayText() {
        String html = render("It costs $5 or $6 today.").html();
        assertFalse(html.contains("math"), html);
        assertTrue(html.contains("$5 or $6"), html);
    }

    @Test
    void titleTocAndSummaryComeFromTheMarkdown() {
        Chapter c = render("First paragraph\nof two lines.\n\n## Step one\n\n### Detail\n\n"
                + "## Step one\n");
        assertEquals("Title", c.title());
        assertEquals("First paragraph of two lines.", c.summary());
        assertEquals(3, c.toc().size());
        assertEquals("step-one", c.toc().get(0).id());
        assertEquals("step-one-1", c.toc().get(2).id());
        assertTrue(c.html().contains("<h2 id=\"step-one\">"), c.html());
        assertFalse(c.html().contains("<h1>"), "the title is rendered by the layout");
    }

    @Test
    void experimentDirectiveRendersItsForm() {
        Chapter c = render("```experiment\nid: demo\nkind: attention\ncontrols: text, heads\n"
                + "heads: 4\n```\n");
        assertEquals(1, c.experiments().size());
        ExperimentView view = c.experiments().get(0);
        assertEquals("attention", view.kind());
        assertEquals(2, view.controls().size());
        assertTrue(view.defaultsJson().contains("\"heads\":4"), view.defaultsJson());
        assertTrue(c.html().contains("<form data-experiment=\"attention\"></form>"), c.html());
        assertFalse(c.html().contains("<pre>"), c.html());
    }

    @Test
    void unknownExperimentKindFailsNamingIt() {
        ChapterException e = assertThrows(ChapterException.class,
                () -> render("```experiment\nid: demo\nkind: telepathy\n```\n"));
        assertTrue(e.getMessage().contains("telepathy"), e.getMessage());
    }

    @Test
    void unknownControlFailsNamingIt() {
        ChapterException e = assertThrows(ChapterException.class,
                () -> render("```experiment\nid: demo\nkind: attention\ncontrols: colour\n```\n"));
        assertTrue(e.getMessage().contains("colour"), e.getMessage());
    }
}
