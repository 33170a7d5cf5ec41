package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URL;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The chapter "Beyond classic MHA" in Chromium: every experiment runs with its defaults, the
 * deterministic numbers on the page equal the API's for the request the page sent, and a changed
 * control runs again.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class BeyondClassicMhaPageTest {
    private static ChapterBrowser browser;

    @TestHTTPResource("/chapters/beyond")
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

    static JsonPath api(String path, String body) {
        return given().contentType(ContentType.JSON).body(body)
                .post("/api/v1/variants/" + path).then().statusCode(200).extract().jsonPath();
    }

    static String number(Locator experiment, String name) {
        return experiment.locator("td[data-name=\"" + name + "\"]").textContent();
    }

    @Test
    void everyExperimentRunsAndShowsTheApisNumbers() {
        Page page = browser.open(chapter.toString());
        browser.waitForAllExperiments();

        Locator kv = browser.experiment("kv-cache");
        JsonPath cache = api("kv-cache", kv.getAttribute("data-request"));
        assertEquals("512.0 MiB (" + cache.getLong("groupedBytes") + " bytes)",
                number(kv, "Grouped-query (kvHeads = 8)"));

        Locator gqa = browser.experiment("grouped-query");
        assertThat(gqa.locator(".kv-group")).hasCount(2);
        assertThat(gqa.locator(".kv-group[data-kv-head=\"1\"] .query-head"))
                .hasText(new String[] {"Q head 3", "Q head 4"});
        JsonPath grouped = api("grouped-query", gqa.getAttribute("data-request"));
        assertEquals("[" + joined(grouped.getList("shapes.k")) + "]",
                number(gqa, "K, V shape (grouped)"));

        Locator sparse = browser.experiment("sparse");
        JsonPath pairs = api("sparse", sparse.getAttribute("data-request"));
        assertThat(sparse.getByTestId("sparse-mask").locator("tbody tr"))
                .hasCount(pairs.getInt("queryLength"));
        assertThat(sparse.locator("td.allowed")).hasCount(pairs.getInt("allowedPairs"));

        Locator sweep = browser.experiment("feature-sweep");
        assertThat(sweep.getByTestId("chart-values").locator("tbody tr")).hasCount(4);

        gqa.locator("input[name=kvHeads]").fill("1");
        gqa.getByTestId("run").click();
        assertThat(gqa.locator(".kv-group")).hasCount(1);
        assertThat(gqa).hasAttribute("data-state", "done");
        browser.screenshots("beyond-classic-mha");
    }

    private static String joined(List<Object> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }
}
