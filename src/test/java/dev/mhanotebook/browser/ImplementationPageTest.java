package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.mhanotebook.browser.ChapterBrowser.api;
import static dev.mhanotebook.browser.ChapterBrowser.assertSameMatrix;
import static dev.mhanotebook.browser.ChapterBrowser.tableValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.ColorScheme;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The chapter "Implementation" in Debian's Chromium: every experiment runs, and what it shows
 * equals what the API answers to the same requests: FLOPs and bytes of each implementation and
 * their differences from the loops reference, the softmax of 1000 and 999, the spread and
 * entropy over d_k, the weights before and after dropout, the cost for each number of heads.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class ImplementationPageTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static ChapterBrowser browser;

    @TestHTTPResource("/chapters/implementation")
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

    private static List<String> requests(Locator experiment) throws Exception {
        List<String> bodies = new ArrayList<>();
        for (JsonNode body : JSON.readTree(experiment.getAttribute("data-requests"))) {
            bodies.add(body.toString());
        }
        return bodies;
    }

    @Test
    void everyExperimentShowsTheApisNumbers() throws Exception {
        Page page = browser.open(chapter.toString());
        browser.waitForAllExperiments();
        assertImplementationsEqualApi();
        assertSoftmaxEqualsApi();
        assertScaleSweepEqualsApi();
        assertDropoutEqualsApi();
        assertCostEqualsApi();

        Locator exercise = page.locator("#exercise-softmax-large");
        exercise.getByLabel("Your answer").fill("0.8808");
        exercise.getByTestId("exercise-check").click();
        assertThat(exercise.getByTestId("exercise-feedback")).hasText("✓ Correct.");
        Locator choice = page.locator("#exercise-heads-flops");
        choice.getByLabel("They grow 16 times").check();
        choice.getByTestId("exercise-check").click();
        assertThat(choice.getByTestId("exercise-feedback"))
                .containsText("✗ Not quite. The answer is They stay the same.");
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.DARK));
        for (String id : List.of("implementations", "scale", "dropout")) {
            browser.experiment(id).screenshot(new Locator.ScreenshotOptions().setPath(
                    ChapterBrowser.SCREENSHOTS.resolve("implementation-dark-" + id + ".png")));
        }
        page.emulateMedia(new Page.EmulateMediaOptions().setColorScheme(ColorScheme.LIGHT));
        browser.screenshots("implementation");
    }

    private void assertImplementationsEqualApi() throws Exception {
        Locator experiment = browser.experiment("implementations");
        List<String> bodies = requests(experiment);
        Locator rows = experiment.getByTestId("implementation-row");
        assertThat(rows).hasCount(3);
        JsonPath reference = api(bodies.get(0));
        for (int k = 0; k < 3; k++) {
            JsonPath answer = k == 0 ? reference : api(bodies.get(k));
            Locator row = rows.nth(k);
            assertEquals(answer.getString("spec.implementation"),
                    row.getAttribute("data-implementation"));
            assertEquals(answer.getLong("cost.flops"),
                    Long.parseLong(row.getAttribute("data-flops")));
            assertEquals(answer.getLong("cost.peakBytes"),
                    Long.parseLong(row.getAttribute("data-peak-bytes")));
            assertTrue(Double.parseDouble(row.getAttribute("data-elapsed-millis")) > 0);
            double output = maxDifference(answer.getList("output"), reference.getList("output"));
            double weights = maxDifference(answer.getList("attention"),
                    reference.getList("attention"));
            assertEquals(output, Double.parseDouble(row.getAttribute("data-output-diff")),
                    1e-12, "output difference of " + row.getAttribute("data-implementation"));
            assertEquals(weights, Double.parseDouble(row.getAttribute("data-attention-diff")),
                    1e-12);
            assertTrue(output < 1e-4, "float32 and double agree: " + output);
        }
    }

    private static double maxDifference(Object a, Object b) {
        if (a instanceof List<?> la) {
            double m = 0;
            for (int i = 0; i < la.size(); i++) {
                m = Math.max(m, maxDifference(la.get(i), ((List<?>) b).get(i)));
            }
            return m;
        }
        return Math.abs(((Number) a).doubleValue() - ((Number) b).doubleValue());
    }

    private void assertSoftmaxEqualsApi() throws Exception {
        Locator experiment = browser.experiment("softmax");
        JsonPath answer = api(requests(experiment).get(0));
        Locator rows = experiment.getByTestId("softmax-row");
        assertThat(rows).hasCount(2);
        List<?> weights = answer.getList("attention[0][0][0]");
        for (int j = 0; j < 2; j++) {
            String shown = rows.nth(j).locator("td").nth(1).getAttribute("data-value");
            assertEquals(((Number) weights.get(j)).doubleValue(), Double.parseDouble(shown));
        }
        assertThat(rows.nth(0)).containsText("0.7311");
        assertThat(rows.nth(1)).containsText("0.2689");
    }

    private void assertScaleSweepEqualsApi() throws Exception {
        Locator experiment = browser.experiment("scale");
        List<String> bodies = requests(experiment);
        assertEquals(14, bodies.size(), "d_k 4 … 256, with and without the scale");
        JsonNode stats = JSON.readTree(experiment.getAttribute("data-stats"));
        for (int k = 0; k < bodies.size(); k++) {
            JsonPath answer = api(bodies.get(k));
            int scaled = answer.getList("trace.name").indexOf("scaled");
            List<Double> values = flatten(answer.getList("trace[" + scaled + "].value"));
            double mean = values.stream().mapToDouble(Double::doubleValue).sum() / values.size();
            double variance = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum()
                    / values.size();
            assertEquals(Math.sqrt(variance), stats.get(k).get("scaledStd").asDouble(), 1e-9);
            double entropy = 0;
            List<?> rows = (List<?>) ((List<?>) answer.getList("attention").get(0)).get(0);
            for (Object row : rows) {
                for (Object p : (List<?>) row) {
                    double v = ((Number) p).doubleValue();
                    entropy -= v > 0 ? v * Math.log(v) : 0;
                }
            }
            assertEquals(entropy / rows.size(), stats.get(k).get("entropy").asDouble(), 1e-9);
        }
        assertThat(experiment.getByTestId("plot-spread")).isVisible();
        assertThat(experiment.getByTestId("plot-entropy")).isVisible();
    }

    private static List<Double> flatten(Object x) {
        List<Double> out = new ArrayList<>();
        if (x instanceof List<?> l) {
            l.forEach(e -> out.addAll(flatten(e)));
        } else if (x instanceof Number n) {
            out.add(n.doubleValue());
        }
        return out;
    }

    private void assertDropoutEqualsApi() throws Exception {
        Locator experiment = browser.experiment("dropout");
        JsonPath answer = api(requests(experiment).get(0));
        int index = answer.getList("trace.name").indexOf("attention");
        List<?> before = (List<?>) ((List<?>) answer.getList("trace[" + index + "].value").get(0))
                .get(0);
        List<?> applied = (List<?>) ((List<?>) answer.getList("attention").get(0)).get(0);
        assertSameMatrix("before dropout", before, withoutSums(experiment, "dropout-before"));
        assertSameMatrix("after dropout", applied, withoutSums(experiment, "dropout-applied"));
        assertTrue(!before.equals(applied), "training drops some weights");
    }

    private static List<List<String>> withoutSums(Locator experiment, String testid) {
        List<List<String>> table = tableValues(experiment.getByTestId(testid)).get(0);
        return table.stream().map(r -> r.subList(0, r.size() - 1)).toList();
    }

    private void assertCostEqualsApi() throws Exception {
        Locator experiment = browser.experiment("cost");
        List<String> bodies = requests(experiment);
        Locator rows = experiment.getByTestId("cost-row");
        assertThat(rows).hasCount(bodies.size());
        for (int k = 0; k < bodies.size(); k++) {
            JsonPath answer = api(bodies.get(k));
            assertEquals(answer.getLong("cost.flops"),
                    Long.parseLong(rows.nth(k).getAttribute("data-flops")));
            assertEquals(answer.getLong("cost.peakBytes"),
                    Long.parseLong(rows.nth(k).getAttribute("data-peak-bytes")));
        }
        for (String plot : List.of("plot-flops", "plot-bytes", "plot-time")) {
            assertThat(experiment.getByTestId(plot)).isVisible();
        }
    }
}
