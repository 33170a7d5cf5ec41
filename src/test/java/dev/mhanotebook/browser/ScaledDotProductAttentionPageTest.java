package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The chapter "Scaled dot-product attention" in a real browser (Debian's Chromium), against the
 * test server: the default result appears on load, a typed sentence runs, the page shows the
 * trace and heads × L × L heatmap cells, and every weight it shows equals the API's for the
 * same request. Also the bad-input, busy and time-out states.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class ScaledDotProductAttentionPageTest {
    private static final String SENTENCE = "Attention lets every word look at every other word";
    private static ChapterBrowser browser;

    @TestHTTPResource("/chapters/scaled-dot-product-attention")
    URL chapter;

    private Page page;

    @BeforeAll
    static void launch() {
        browser = new ChapterBrowser();
    }

    @AfterAll
    static void close() {
        browser.close();
    }

    @BeforeEach
    void newPage() {
        page = browser.newPage();
    }

    @AfterEach
    void closePage() {
        browser.closePage();
    }

    private Locator experiment() {
        return page.getByTestId("experiment");
    }

    /** The control whose label is exactly {@code label}. */
    private Locator control(String label) {
        return experiment().getByLabel(label, new Locator.GetByLabelOptions().setExact(true));
    }

    private Locator status() {
        return experiment().getByTestId("status");
    }

    private void openChapterAndWaitForDefaultResult() {
        page.navigate(chapter.toString());
        assertThat(status()).hasAttribute("data-state", "done");
        // The defaults: 6 tokens, 2 heads.
        assertThat(experiment().getByTestId("heatmap-cell")).hasCount(2 * 6 * 6);
    }

    @Test
    void typedSentenceShowsTraceAndHeatmapsEqualToTheApi() {
        openChapterAndWaitForDefaultResult();
        control("Sentence").fill(SENTENCE);
        control("d_model").fill("16");
        control("Heads h").fill("4");
        control("Causal mask").selectOption("top-left");
        page.getByTestId("run").click();
        assertThat(experiment()).hasAttribute("data-request",
                java.util.regex.Pattern.compile(".*\"heads\":4.*"));
        assertThat(status()).hasAttribute("data-state", "done");

        String request = experiment().getAttribute("data-request");
        JsonPath api = given().contentType(ContentType.JSON).body(request)
                .post("/api/v1/attention").then().statusCode(200).extract().jsonPath();
        List<String> tokens = api.getList("tokens");
        int heads = 4;
        int length = tokens.size();
        assertEquals(9, length, "the API split the sentence into words: " + tokens);

        List<String> steps = api.getList("trace.name");
        Locator rows = experiment().getByTestId("trace-row");
        assertThat(rows).hasCount(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            assertEquals(steps.get(i), rows.nth(i).getAttribute("data-step"));
            assertEquals(api.getList("trace[" + i + "].outputShape").toString()
                    .replace(" ", ""), rows.nth(i).getAttribute("data-output-shape"));
        }

        assertThat(experiment().getByTestId("heatmap")).hasCount(heads);
        assertThat(experiment().getByTestId("heatmap-cell")).hasCount(heads * length * length);
        @SuppressWarnings("unchecked")
        List<List<Object>> cells = (List<List<Object>>) page.evaluate("() => Array.from("
                + "document.querySelectorAll('[data-testid=heatmap-cell]'), c => ["
                + "Number(c.closest('[data-testid=heatmap]').dataset.head), Number(c.dataset.row),"
                + " Number(c.dataset.col), c.dataset.value, c.dataset.masked])");
        @SuppressWarnings("unchecked")
        List<List<List<List<Number>>>> attention = (List<List<List<List<Number>>>>) (List<?>)
                api.getList("attention");
        for (List<Object> cell : cells) {
            int h = ((Number) cell.get(0)).intValue();
            int i = ((Number) cell.get(1)).intValue();
            int j = ((Number) cell.get(2)).intValue();
            float expected = (attention.get(0).get(h).get(i).get(j)).floatValue();
            float shown = Float.parseFloat((String) cell.get(3));
            assertEquals(expected, shown, "head " + h + " query " + i + " key " + j);
            assertEquals(String.valueOf(j > i), cell.get(4), "masked above the diagonal");
        }

        Locator firstTable = experiment().getByTestId("heatmap-table").first();
        assertThat(firstTable.locator("tbody tr")).hasCount(length);
        page.getByText("Head 1 as a table").click();
        assertThat(firstTable).isVisible();

        Locator firstMap = experiment().locator(".heatmap-frame").first();
        firstMap.focus();
        page.keyboard().press("ArrowDown");
        assertThat(experiment().getByTestId("heatmap-readout").first())
                .containsText("Query “lets” (row 2) → key “Attention” (column 1)");

        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(ChapterBrowser.SCREENSHOTS.resolve(
                        "scaled-dot-product-attention-desktop.png")));
        page.setViewportSize(390, 844);
        experiment().screenshot(new Locator.ScreenshotOptions()
                .setPath(ChapterBrowser.SCREENSHOTS.resolve(
                        "scaled-dot-product-attention-390px.png")));
        Number overflow = (Number) page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow.intValue() <= 0, "no sideways scrolling at 390 px: " + overflow);
    }

    @Test
    void badInputShowsTheServerMessageNextToTheControl() {
        browser.allowFailedResponse(400, "/api/v1/attention");
        openChapterAndWaitForDefaultResult();
        control("Heads h").fill("3");
        page.getByTestId("run").click();
        assertThat(status()).hasAttribute("data-state", "bad-input");
        Locator error = experiment().getByTestId("error-heads");
        assertThat(error).isVisible();
        // The server's message, in the form's words: its labels, not the API's field names.
        assertThat(error).containsText("“Heads h” must divide “d_model”");
        assertThat(control("Heads h")).hasAttribute("aria-invalid", "true");

        page.getByRole(com.microsoft.playwright.options.AriaRole.BUTTON,
                new Page.GetByRoleOptions().setName("Reset")).click();
        assertThat(status()).hasAttribute("data-state", "done");
        assertThat(control("Heads h")).hasValue("2");
        assertThat(error).isHidden();
    }

    @Test
    void busyServerIsRetriedThenShowsTheResult() {
        browser.allowFailedResponse(429, "/api/v1/attention");
        AtomicInteger calls = new AtomicInteger();
        page.route("**/api/v1/attention", route -> {
            if (calls.incrementAndGet() == 1) {
                route.fulfill(new com.microsoft.playwright.Route.FulfillOptions().setStatus(429)
                        .setHeaders(Map.of("Retry-After", "1", "Content-Type", "application/json"))
                        .setBody("{\"error\":\"busy\",\"field\":null}"));
            } else {
                route.resume();
            }
        });
        page.navigate(chapter.toString());
        assertThat(status()).hasAttribute("data-state", "busy");
        assertThat(status()).containsText("busy, retrying");
        assertThat(status()).hasAttribute("data-state", "done");
        assertEquals(2, calls.get());
    }

    @Test
    void overloadedServerShowsItsMessage() {
        browser.allowFailedResponse(503, "/api/v1/attention");
        openChapterAndWaitForDefaultResult();
        page.route("**/api/v1/attention", route -> route.fulfill(
                new com.microsoft.playwright.Route.FulfillOptions().setStatus(503)
                        .setHeaders(Map.of("Retry-After", "2", "Content-Type", "application/json"))
                        .setBody("{\"error\":\"time limit of 10s reached\",\"field\":null}")));
        page.getByTestId("run").click();
        assertThat(status()).hasAttribute("data-state", "unavailable");
        assertThat(status()).containsText("time limit of 10s reached");
    }

    @Test
    void noAnswerInTimeShowsTheTimeOutState() {
        openChapterAndWaitForDefaultResult();
        page.route("**/api/v1/attention", route -> {
            // Never answered: the page's own time limit must end the wait.
        });
        experiment().evaluate("root => { root.dataset.timeoutMs = '800'; }");
        page.getByTestId("run").click();
        assertThat(status()).hasAttribute("data-state", "timeout",
                new LocatorAssertions.HasAttributeOptions().setTimeout(10_000));
        assertThat(status()).containsText("No answer from the server");
    }
}
