package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.mhanotebook.browser.ChapterBrowser.api;
import static dev.mhanotebook.browser.ChapterBrowser.assertSameMatrix;
import static dev.mhanotebook.browser.ChapterBrowser.tableValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The chapter "Components" in Debian's Chromium: every experiment runs; each step experiment
 * stays covered until its exercise is answered; a shape exercise answered right and one answered
 * wrong say so in words and reveal their explanation, and are remembered after a reload; every
 * matrix on the page equals the API's trace for the same request; a code panel opens on the
 * engine's Java lines and the PyTorch lines, highlighted and numbered as in the file, passes axe
 * in light and dark mode and fits a 390 px phone, and its caption links to the whole file.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class ComponentsPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHAPE_LABEL = "Your answer, as sizes in brackets";
    private static ChapterBrowser browser;

    @TestHTTPResource("/chapters/components")
    URL chapter;

    @BeforeAll
    static void launch() {
        browser = new ChapterBrowser();
    }

    @AfterAll
    static void close() {
        browser.close();
    }

    @AfterEach
    void closePage() {
        browser.closePage();
    }

    private void answer(Page page, String exercise, String text) {
        Locator root = page.locator("#exercise-" + exercise);
        root.getByLabel(SHAPE_LABEL).fill(text);
        root.getByTestId("exercise-check").click();
    }

    @Test
    void everyExperimentShowsTheApisNumbersAndShapeExercisesAreChecked() throws Exception {
        Page page = browser.open(chapter.toString());
        browser.waitForAllExperiments();

        Locator projection = browser.experiment("projection");
        assertThat(projection.getByTestId("reveal")).isVisible();
        assertThat(projection.locator(".step-result")).isHidden();
        page.locator("#exercise-projection-shape").screenshot(new Locator.ScreenshotOptions()
                .setPath(ChapterBrowser.SCREENSHOTS.resolve("components-covered-exercise.png")));
        projection.screenshot(new Locator.ScreenshotOptions()
                .setPath(ChapterBrowser.SCREENSHOTS.resolve("components-covered-experiment.png")));

        answer(page, "projection-shape", "[1, 6, 8]");
        Locator right = page.locator("#exercise-projection-shape");
        assertThat(right.getByTestId("exercise-feedback")).hasText("✓ Correct.");
        assertThat(right.getByTestId("exercise-feedback")).hasAttribute("data-result", "right");
        assertThat(right.getByTestId("exercise-explanation")).isVisible();
        assertThat(projection.getByTestId("step-shape")).containsText("q has shape [1, 6, 8]");

        answer(page, "split-shape", "[1, 6, 2, 4]");
        Locator wrong = page.locator("#exercise-split-shape");
        assertThat(wrong.getByTestId("exercise-feedback"))
                .containsText("✗ Not quite. The answer is [1, 2, 6, 4].");
        assertThat(wrong.getByTestId("exercise-feedback")).hasAttribute("data-result", "wrong");
        assertThat(wrong.getByTestId("exercise-explanation")).isVisible();
        assertThat(browser.experiment("split").getByTestId("step-shape")).isVisible();
        assertThat(wrong.getByTestId("exercise-progress")).hasText(
                "2 of 6 exercises on this page answered, 1 right; kept in this browser only.");

        for (String id : List.of("masks", "alignment", "concat", "output")) {
            browser.experiment(id).getByTestId("reveal").click();
        }
        for (String id : List.of("projection", "split", "alignment", "concat", "output")) {
            assertStepEqualsApi(id);
        }
        assertThat(browser.experiment("alignment").locator(".warnings"))
                .containsText("can see no key");
        assertMasksEqualApi();

        browser.screenshots("components");
        page.setViewportSize(1280, 900);
        page.reload();
        browser.waitForAllExperiments();
        assertThat(page.locator("#exercise-projection-shape").getByTestId("exercise-feedback"))
                .containsText("✓ Correct.");
        assertThat(page.locator("#exercise-split-shape").getByTestId("exercise-feedback"))
                .containsText("✗ Not quite.");
        assertThat(browser.experiment("projection").locator(".step-result")).isVisible();
        assertThat(browser.experiment("concat").getByTestId("reveal")).isVisible();
    }

    @Test
    void codePanelShowsTheEnginesJavaBesideThePyTorchLines() {
        Page page = browser.open(chapter.toString());
        Locator panel = page.locator("#code-masks");
        Locator java = panel.getByTestId("code-java");
        Locator python = panel.getByTestId("code-python");
        assertEquals(false, panel.evaluate("d => d.open"), "closed at first");
        assertThat(java).isHidden();

        panel.locator("summary").click();
        assertThat(java).isVisible();
        assertThat(python).isVisible();
        Locator pieces = panel.getByTestId("code-piece");
        assertThat(pieces).hasCount(7);
        // Highlighted, then cut into one numbered row per line of the file.
        assertThat(panel.locator("code.code-numbered")).hasCount(7);
        assertTrue(panel.locator(".hljs-keyword").count() > 0, "keywords are highlighted");
        for (int i = 0; i < 7; i++) {
            Locator piece = pieces.nth(i);
            int first = Integer.parseInt(piece.getAttribute("data-first-line"));
            int last = Integer.parseInt(piece.getAttribute("data-last-line"));
            String file = piece.getAttribute("data-file");
            assertThat(piece.locator("figcaption a")).hasText(file + (first == last
                    ? ", line " + first : ", lines " + first + "–" + last));
            assertThat(piece.locator(".code-line")).hasCount(last - first + 1);
            assertThat(piece.locator(".code-number").first()).hasText(Integer.toString(first));
            assertThat(piece.locator(".code-number").last()).hasText(Integer.toString(last));
        }
        assertThat(java.locator("figcaption a").first()).hasText(
                java.getByTestId("code-piece").first().getAttribute("data-file") + ", lines "
                        + java.getByTestId("code-piece").first().getAttribute("data-first-line")
                        + "–" + java.getByTestId("code-piece").first()
                                .getAttribute("data-last-line"));
        assertThat(java).containsText("float[] bias = Masks.bias(p, in, 0, len, 0, keyLen);");
        assertThat(java).containsText("case TOP_LEFT -> j > i;");
        assertThat(python).containsText("masked = scaled.masked_fill(blocked, float(\"-inf\"))");
        assertThat(python).containsText("blocked = blocked | key_padding[:, None, None, :]");

        page.evaluate("() => document.querySelectorAll('details.code-panel')"
                + ".forEach(d => d.open = true)");
        assertThat(page.locator("details.code-panel code:not(.code-numbered)")).hasCount(0);
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(scheme));
            AxeResults axe = new AxeBuilder(page)
                    .withTags(List.of("wcag2a", "wcag2aa", "wcag21aa")).analyze();
            assertTrue(axe.getPasses().size() > 0, "axe ran");
            assertEquals(List.of(), axe.getViolations().stream().map(v -> v.getId() + ": "
                    + v.getNodes().get(0).getTarget()).toList(), scheme + " mode");
            panel.screenshot(new Locator.ScreenshotOptions().setPath(ChapterBrowser.SCREENSHOTS
                    .resolve("components-code-panel-" + scheme.name().toLowerCase() + ".png")));
        }
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
        page.setViewportSize(390, 844);
        Number overflow = (Number) page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow.intValue() <= 0, "no sideways scrolling at 390 px: " + overflow);
        assertTrue((Boolean) panel.evaluate("d => { const c = d.querySelector("
                + "'[data-testid=code-java]').getBoundingClientRect(), p = d.querySelector("
                + "'[data-testid=code-python]').getBoundingClientRect();"
                + " return p.top >= c.bottom; }"), "stacked on a phone");
        panel.screenshot(new Locator.ScreenshotOptions().setPath(
                ChapterBrowser.SCREENSHOTS.resolve("components-code-panel-390px.png")));

        page.setViewportSize(1280, 900);
        Locator link = java.locator("figcaption a").first();
        String first = java.getByTestId("code-piece").first().getAttribute("data-first-line");
        link.click();
        page.waitForURL("**/source/VectorizedAttention.java#L" + first);
        assertThat(page.locator("h1")).hasText("VectorizedAttention.java");
        assertThat(page.locator("#L" + first)).isInViewport();
        assertThat(page.locator("[data-testid=source-file] code.hljs")).isVisible();
    }

    @Test
    void answersAreParsedLeniently() {
        browser.open(chapter.toString());
        Object results = browser.page.evaluate("async () => {"
                + " const m = await import('/js/exercise.js');"
                + " return [m.parseShape('[1, 2, 6, 4]'), m.parseShape('(1,2,6,4)'),"
                + " m.parseShape('1 x 2 x 6 x 4'), m.parseShape('[1, two]'),"
                + " m.parseNumber('≈ 0.25'), m.parseNumber('1e-3'), m.parseNumber('0,25'),"
                + " m.check('shape', [1, 2, 6, 4], '[1, 2, 6]').message,"
                + " m.check('number', 0.2667, '0.26667', 0.0001).correct,"
                + " m.check('choice', 'b', '').valid]; }");
        assertEquals(List.of(List.of(1, 2, 6, 4), List.of(1, 2, 6, 4), List.of(1, 2, 6, 4)),
                ((List<?>) results).subList(0, 3));
        List<?> rest = ((List<?>) results).subList(3, 10);
        assertEquals(null, rest.get(0));
        assertEquals(0.25, ((Number) rest.get(1)).doubleValue());
        assertEquals(0.001, ((Number) rest.get(2)).doubleValue());
        assertEquals(null, rest.get(3));
        assertEquals(" Your shape has 3 axes; count them again.", rest.get(4));
        assertEquals(true, rest.get(5));
        assertEquals(false, rest.get(6));
    }

    private void assertStepEqualsApi(String id) throws Exception {
        Locator experiment = browser.experiment(id);
        String step = JSON.readTree(experiment.getAttribute("data-defaults")).get("step").asText();
        JsonPath answer = api(experiment.getAttribute("data-request"));
        List<String> steps = answer.getList("trace.name");
        int index = steps.indexOf(step);
        assertTrue(index >= 0, id + ": the API traces " + step);
        List<?> shape = answer.getList("trace[" + index + "].outputShape");
        assertEquals(shape.toString().replace(" ", ""),
                experiment.getByTestId("step-shape").getAttribute("data-shape"), id);
        assertThat(experiment.getByTestId("trace-row")).hasCount(steps.size());
        List<?> value = (List<?>) answer.getList("trace[" + index + "].value").get(0);
        List<List<List<String>>> tables = tableValues(experiment.getByTestId("step-matrix"));
        if (shape.size() == 4) {
            assertEquals(value.size(), tables.size(), id + ": one table per head");
            for (int h = 0; h < value.size(); h++) {
                assertSameMatrix(id + " head " + h, (List<?>) value.get(h), tables.get(h));
            }
        } else {
            assertEquals(1, tables.size(), id);
            assertSameMatrix(id, value, tables.get(0));
        }
    }

    private void assertMasksEqualApi() throws Exception {
        Locator masks = browser.experiment("masks");
        JsonNode requests = JSON.readTree(masks.getAttribute("data-requests"));
        assertEquals(2, requests.size());
        Locator panels = masks.getByTestId("mask-panel");
        assertThat(panels).hasCount(2);
        for (int k = 0; k < 2; k++) {
            JsonPath answer = api(requests.get(k).toString());
            int masked = answer.getList("trace.name").indexOf("masked");
            List<?> scores = (List<?>) ((List<?>) answer.getList("trace[" + masked + "].value")
                    .get(0)).get(0);
            List<?> weights = (List<?>) ((List<?>) answer.getList("attention").get(0)).get(0);
            Locator panel = panels.nth(k);
            assertSameMatrix("masked " + k, scores,
                    tableValues(panel.getByTestId("mask-masked")).get(0));
            assertSameMatrix("attention " + k, weights,
                    tableValues(panel.getByTestId("mask-attention")).get(0));
        }
        assertEquals("causal", panels.nth(0).getAttribute("data-mask"));
        assertEquals("padding", panels.nth(1).getAttribute("data-mask"));
    }
}
