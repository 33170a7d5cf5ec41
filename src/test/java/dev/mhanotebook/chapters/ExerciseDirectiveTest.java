package dev.mhanotebook.chapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ```exercise directive: parsed, checked and rendered into the page's exercise markup. */
class ExerciseDirectiveTest {
    private final ChapterMarkdown markdown = new ChapterMarkdown(view -> "<experiment/>");

    private String render(String block) {
        return markdown.render("t", 1, "# T\n\nText.\n\n```exercise\n" + block + "```\n").html();
    }

    @Test
    void shapeExerciseRendersQuestionInputAndHiddenExplanation() {
        String html = render("""
                id: scores-shape
                kind: shape
                question: What is the shape of $Q K^\\top$?
                answer: [1, 2, 6, 6]
                explanation: One row per query:
                a second line, with a colon.
                """);
        assertTrue(html.contains("data-exercise-id=\"scores-shape\""), html);
        assertTrue(html.contains("data-exercise-kind=\"shape\""), html);
        assertTrue(html.contains("data-answer=\"[1,2,6,6]\""), html);
        assertTrue(html.contains("<span class=\"math math-inline\">Q K^\\top</span>"), html);
        assertTrue(html.contains("<label for=\"exercise-scores-shape-input\">"), html);
        assertTrue(html.contains("data-testid=\"exercise-explanation\" hidden"), html);
        assertTrue(html.contains("One row per query:\na second line, with a colon."), html);
    }

    @Test
    void choiceExerciseRendersOneRadioPerOptionAndQuotesTheAnswer() {
        String html = render("""
                id: pick
                kind: choice
                question: Which?
                options: first "one" | second
                answer: first "one"
                explanation: Because.
                """);
        assertEquals(2, html.split("type=\"radio\"", -1).length - 1, html);
        assertTrue(html.contains("data-answer=\"&quot;first \\&quot;one\\&quot;&quot;\""), html);
        assertTrue(html.contains("<legend>Choose one</legend>"), html);
    }

    @Test
    void numberExerciseCarriesItsTolerance() {
        String html = render("""
                id: weight
                kind: number
                question: Weight?
                answer: 0.7311
                tolerance: 0.0001
                explanation: 1/(1+e^-1).
                """);
        assertTrue(html.contains("data-answer=\"0.7311\" data-tolerance=\"1.0E-4\""), html);
    }

    @Test
    void badExercisesAreRefusedWithTheReason() {
        var e = assertThrows(ChapterException.class, () -> render("""
                id: s
                kind: shape
                question: Q?
                answer: 1, 2
                explanation: E.
                """));
        assertTrue(e.getMessage().contains("list of whole numbers"), e.getMessage());
        e = assertThrows(ChapterException.class, () -> render("""
                id: c
                kind: choice
                question: Q?
                options: a | b
                answer: c
                explanation: E.
                """));
        assertTrue(e.getMessage().contains("one of them the answer"), e.getMessage());
        e = assertThrows(ChapterException.class, () -> render("""
                id: k
                kind: essay
                question: Q?
                answer: x
                explanation: E.
                """));
        assertTrue(e.getMessage().contains("allowed: shape, number, choice"), e.getMessage());
        e = assertThrows(ChapterException.class, () -> render("""
                id: n
                kind: number
                question: Q?
                answer: 3
                """));
        assertTrue(e.getMessage().contains("needs 'explanation:'"), e.getMessage());
    }
}
