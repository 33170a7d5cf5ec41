package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static dev.mhanotebook.browser.ChapterBrowser.assertSameMatrix;
import static dev.mhanotebook.browser.ChapterBrowser.tableValues;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * The chapter "Attention in a trained model" in Debian's Chromium: the reader types a sentence
 * into the model view, opens a head from the 6 × 12 grid and sees its weights (equal to the
 * API's for that head); prunes a head and then the k most important heads in the importance
 * grid and sees the cosine change, each time equal to the API's cosine for the same request;
 * the similarity shown equals the API's.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class TrainedModelPageTest {
    private static final String SENTENCE =
            "The trophy didn't fit in the suitcase because it was too big.";
    private static ChapterBrowser browser;

    @TestHTTPResource("/chapters/trained-model")
    URL chapter;

    @BeforeAll
    static void launch() {
        browser = new ChapterBrowser();
    }

    @AfterAll
    static void close() {
        browser.close();
    }

    /**
     * The page starts its experiments together, so the server's compute gate may answer 429
     * (busy) and api.js retries after Retry-After, as it should; a refused input is a 400 that the
     * bad-input test provokes on purpose. Every other failed response still fails the test.
     */
    @AfterEach
    void closePage() {
        browser.allowFailedResponse(429, "");
        browser.closePage();
    }

    private static JsonPath api(String path, String body) {
        String answer = given().contentType(ContentType.JSON).body(body).post(path)
                .then().statusCode(200).extract().asString();
        return JsonPath.from(answer)
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    private static Locator field(Locator experiment, String label) {
        return experiment.getByLabel(label, new Locator.GetByLabelOptions().setExact(true));
    }

    /** Types the sentence, presses Run and waits for the answer to that sentence. */
    private static void runWith(Locator experiment, String sentence) {
        field(experiment, "Sentence").fill(sentence);
        experiment.getByTestId("run").click();
        assertThat(experiment).hasAttribute("data-request", "{\"text\":\"" + sentence + "\"}");
        assertThat(experiment).hasAttribute("data-state", "done");
    }

    @Test
    void readerOpensAHeadFromTheModelViewAndPrunesHeads() {
        Page page = browser.open(chapter.toString());
        browser.waitForAllExperiments();

        // The model view on the reader's sentence, then one head opened from the grid.
        Locator model = browser.experiment("model-view");
        runWith(model, SENTENCE);
        Locator heads = model.getByTestId("model-head");
        assertThat(heads).hasCount(72);
        assertThat(model.getByTestId("layer-entropy")).hasCount(6);
        Locator head = model.locator("[data-testid=model-head][data-layer='2'][data-head='9']");
        assertTrue(head.getAttribute("aria-label").startsWith("Layer 2, head 9"));
        head.click();
        assertThat(head).hasAttribute("aria-pressed", "true");
        Locator view = model.getByTestId("head-view");
        assertThat(view).hasAttribute("data-layer", "2");
        assertThat(view).hasAttribute("data-head", "9");
        assertThat(model).hasAttribute("data-state", "done");
        JsonPath one = api("/api/v1/model/attention",
                "{\"text\": \"" + SENTENCE + "\", \"layer\": 1, \"head\": 8}");
        List<String> tokens = one.getList("tokens");
        assertEquals(tokens, view.getByTestId("token").allTextContents());
        assertSameMatrix("layer 2 head 9", one.getList("headAttention"),
                tableValues(view.getByTestId("heatmap-table")).get(0));
        int it = tokens.indexOf("it");
        view.getByTestId("token").nth(it).hover();
        assertThat(view.getByTestId("token-readout"))
                .containsText("“it” (row " + (it + 1) + ")");
        assertThat(view.locator(".cell.dim").first()).isAttached();
        page.mouse().move(0, 0);
        view.getByTestId("token").nth(it).focus();
        assertThat(view.getByTestId("token-readout"))
                .containsText("“it” (row " + (it + 1) + ")");
        view.screenshot(new Locator.ScreenshotOptions()
                .setPath(ChapterBrowser.SCREENSHOTS.resolve("trained-model-head-hover.png")));
        assertThat(model.getByTestId("rollout").getByTestId("heatmap")).hasCount(1);

        // Keyboard: arrow keys move between heads, Enter opens one.
        head.focus();
        page.keyboard().press("ArrowDown");
        page.keyboard().press("Enter");
        assertThat(view).hasAttribute("data-layer", "3");
        assertThat(view).hasAttribute("data-head", "9");

        // Pruning one head moves the embedding: the page's cosine is the API's.
        Locator importance = browser.experiment("head-importance");
        runWith(importance, SENTENCE);
        assertThat(importance.getByTestId("importance-head")).hasCount(72);
        Locator cosine = importance.getByTestId("cosine");
        assertThat(cosine).hasAttribute("data-pruned", "0");
        importance.locator("[data-testid=importance-head][data-layer='6'][data-head='12']")
                .click();
        assertThat(cosine).hasAttribute("data-pruned", "1");
        assertThat(importance).hasAttribute("data-state", "done");
        double pruneOne = assertCosineEqualsApi(importance, cosine);
        assertTrue(pruneOne < 1, "pruning a head moves the embedding: " + pruneOne);

        field(importance, "k heads").fill("6");
        importance.getByTestId("prune-most").click();
        assertThat(cosine).hasAttribute("data-pruned", "6");
        assertThat(importance).hasAttribute("data-state", "done");
        double pruneSix = assertCosineEqualsApi(importance, cosine);
        assertNotEquals(pruneOne, pruneSix, "the cosine changes with the heads pruned");

        // Similarity before and after pruning, as the API computes it.
        Locator similarity = browser.experiment("similarity");
        JsonPath sim = api("/api/v1/model/similarity", similarity.getAttribute("data-request"));
        assertEquals(sim.getDouble("cosineBefore"), Double.parseDouble(
                similarity.getByTestId("cosine-before").getAttribute("data-value")));
        assertEquals(sim.getDouble("cosineAfter"), Double.parseDouble(
                similarity.getByTestId("cosine-after").getAttribute("data-value")));

        browser.screenshots("trained-model");
        page.setViewportSize(1280, 900);
        model.screenshot(new Locator.ScreenshotOptions()
                .setPath(ChapterBrowser.SCREENSHOTS.resolve("trained-model-view.png")));
        importance.screenshot(new Locator.ScreenshotOptions()
                .setPath(ChapterBrowser.SCREENSHOTS.resolve("trained-model-importance.png")));
    }

    @Test
    void badInputIsMarkedNextToItsField() {
        browser.open(chapter.toString());
        browser.allowFailedResponse(400, "/api/v1/model/attention");
        browser.waitForAllExperiments();
        Locator headView = browser.experiment("head-view");
        field(headView, "Layer").fill("7");
        headView.getByTestId("run").click();
        assertThat(headView).hasAttribute("data-state", "bad-input");
        assertThat(headView.getByTestId("error-layer")).containsText("from 1 to 6");
        field(headView, "Layer").fill("1");
        field(headView, "Sentence").fill("   ");
        headView.getByTestId("run").click();
        assertThat(headView).hasAttribute("data-state", "bad-input");
        assertThat(headView.getByTestId("error-text")).containsText("must not be empty");
    }

    private static double assertCosineEqualsApi(Locator experiment, Locator cosine) {
        String request = experiment.getAttribute("data-prune-request");
        double shown = Double.parseDouble(cosine.getAttribute("data-value"));
        assertEquals(api("/api/v1/model/attention", request).getDouble("cosine"), shown,
                "cosine for " + request);
        return shown;
    }
}
