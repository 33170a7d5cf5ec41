package dev.mhanotebook.chapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Formulas the build typeset replace the TeX the chapter layer writes, and only those. */
class FormulasTest {
    private static final Formulas TABLE = Formulas.of(new Formulas.Table("0.16.4",
            Map.of("d_k", "<span class=\"katex\">D</span>",
                    "a < b", "<span class=\"katex\">LT</span>",
                    "\\text{it's}", "<span class=\"katex\">IT</span>"),
            Map.of("d_k", "<span class=\"katex-display\">DD</span>")));

    @Test
    void typesetsInlineAndDisplayMathByTheirTexAndMode() {
        String html = "<p>Width <span class=\"math math-inline\">d_k</span>.</p>\n"
                + "<div class=\"math math-display\">d_k</div>";
        assertEquals("<p>Width <span class=\"math math-inline typeset\"><span class=\"katex\">"
                + "D</span></span>.</p>\n<div class=\"math math-display typeset\">"
                + "<span class=\"katex-display\">DD</span></div>", TABLE.typeset(html));
    }

    @Test
    void displayMathInsideAParagraphIsLookedUpAsDisplay() {
        assertEquals("<span class=\"math math-display typeset\"><span class=\"katex-display\">"
                + "DD</span></span>",
                TABLE.typeset("<span class=\"math math-display\">d_k</span>"));
    }

    @Test
    void texIsReadAsCommonMarkAndQuteEscapeIt() {
        assertEquals("<span class=\"math math-inline typeset\"><span class=\"katex\">LT</span>"
                + "</span>", TABLE.typeset("<span class=\"math math-inline\">a &lt; b</span>"));
        assertEquals("<span class=\"math math-inline typeset\"><span class=\"katex\">IT</span>"
                + "</span>",
                TABLE.typeset("<span class=\"math math-inline\">\\text{it&#39;s}</span>"));
    }

    @Test
    void aFormulaTheTableLacksStaysTexForTheBrowser() {
        String html = "<span class=\"math math-inline\">h d_k</span>"
                + "<div class=\"math math-display\">a &lt; b</div>";
        assertEquals(html, TABLE.typeset(html));
        assertEquals(Set.of(new Formulas.Tex("h d_k", false), new Formulas.Tex("a < b", true)),
                Formulas.find(html));
    }

    @Test
    void findListsEachFormulaOnceInOrder() {
        String html = "<span class=\"math math-inline\">x</span>"
                + "<span class=\"math math-inline\">y</span>"
                + "<span class=\"math math-inline\">x</span>";
        assertEquals(List.of(new Formulas.Tex("x", false), new Formulas.Tex("y", false)),
                List.copyOf(Formulas.find(html)));
    }

    @Test
    void theBuildTypesetEveryChapterFormulaWithTheServedKatex() {
        Formulas built = Formulas.load();
        assertEquals(WebJars.root("katex").replaceAll(".*/", ""), built.katexVersion());
        for (Chapter c : ChapterLibrary.shown(ChapterLibrary.files(), List.of(), view -> "")) {
            String typeset = built.typeset(c.html());
            assertEquals(Set.of(), Formulas.find(typeset), c.slug());
            assertTrue(typeset.contains("<annotation encoding=\"application/x-tex\">"),
                    c.slug() + " carries MathML with its TeX");
        }
    }
}
