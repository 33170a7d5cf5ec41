package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.path.json.config.JsonPathConfig;

/**
 * Debian's Chromium driven by Playwright for the browser tests (Playwright cannot download its own
 * browser here), with helpers that read the numbers a page shows and ask the API for the same
 * request. Each page gets a fresh context; script errors, console errors and failed responses
 * collected while it was open fail the test in {@link #closePage()}, except responses the test
 * provokes on purpose ({@link #allowFailedResponse}).
 */
final class ChapterBrowser implements AutoCloseable {
    static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-quic");

    private final Playwright playwright;
    private final Browser browser;
    private BrowserContext context;
    Page page;
    final List<String> scriptErrors = new ArrayList<>();
    private final List<Predicate<String>> allowedFailures = new ArrayList<>();

    ChapterBrowser() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium"))
                .setArgs(CHROMIUM_ARGS));
        // ND4J shares two cores with the browser and other builds: allow slow answers.
        PlaywrightAssertions.setDefaultAssertionTimeout(90_000);
    }

    /** A new page in a new context, not yet navigated (to set routes before the first load). */
    Page newPage() {
        return newPage(true);
    }

    /** {@link #newPage()}, with the page's scripts switched off when not {@code javaScript}. */
    Page newPage(boolean javaScript) {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)
                .setJavaScriptEnabled(javaScript));
        context.setDefaultTimeout(90_000);
        page = context.newPage();
        scriptErrors.clear();
        allowedFailures.clear();
        page.onPageError(scriptErrors::add);
        page.onConsoleMessage(m -> {
            if ("error".equals(m.type()) && !m.text().startsWith("Failed to load resource")) {
                scriptErrors.add(m.text());
            }
        });
        // Every resource must load, except the favicon the browser asks for on its own.
        page.onResponse(r -> {
            if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) {
                scriptErrors.add(r.status() + " " + r.url());
            }
        });
        return page;
    }

    Page open(String url) {
        newPage().navigate(url);
        return page;
    }

    /**
     * Scrolls {@code p} from top to bottom, half a screen at a time, as a reader would: blocks
     * far below the screen get their real size (content-visibility: auto) and the formulas the
     * browser renders itself (the shape trace's) render only once they come near the screen.
     */
    static void scrollThrough(Page p) {
        p.evaluate("async () => { for (let y = 0; y < document.body.scrollHeight;"
                + " y += innerHeight / 2) { scrollTo(0, y); await new Promise(r =>"
                + " requestAnimationFrame(() => requestAnimationFrame(r))); } }");
    }

    /**
     * Waits until every experiment on {@code p} shows its first result (the long sweep, which
     * waits for the reader's Run, stays idle), then reads the page to the end and checks that
     * every formula is typeset: the page's by the build, the shape traces' by KaTeX in the
     * browser once they came near the screen (a trace a widget keeps hidden waits).
     */
    static void settle(Page p) {
        Locator statuses = p.locator("[data-testid=status]");
        for (int i = 0; i < statuses.count(); i++) {
            Locator status = statuses.nth(i);
            if (!Boolean.TRUE.equals(status.evaluate(
                    "e => e.closest('[data-experiment=length-sweep]') !== null"))) {
                assertThat(status).hasAttribute("data-state", "done");
            }
        }
        scrollThrough(p);
        assertThat(p.locator(".math:not(.typeset):not([data-tex])")).hasCount(0);
        assertThat(p.locator("td.formula > span:not([data-tex]):visible")).hasCount(0);
    }

    /**
     * A response with {@code status} from a URL ending in {@code path} is what the test provokes
     * (a refused input, a routed busy answer), not an error; for the current page only.
     */
    void allowFailedResponse(int status, String path) {
        allowedFailures.add(e -> e.startsWith(status + " ") && e.endsWith(path));
    }

    void closePage() {
        if (context != null) {
            context.close();
            context = null;
        }
        scriptErrors.removeIf(e -> allowedFailures.stream().anyMatch(a -> a.test(e)));
        assertEquals(List.of(), scriptErrors, "script errors in the page");
    }

    Locator experiment(String id) {
        return page.locator("#experiment-" + id);
    }

    /** Waits until every experiment of the page has its result. */
    void waitForAllExperiments() {
        Locator all = page.getByTestId("experiment");
        int n = all.count();
        assertTrue(n > 0, "the page has experiments");
        for (int i = 0; i < n; i++) {
            assertThat(all.nth(i)).hasAttribute("data-state", "done");
        }
    }

    static JsonPath api(String body) {
        String answer = given().contentType(ContentType.JSON).body(body).post("/api/v1/attention")
                .then().statusCode(200).extract().asString();
        // Doubles, as the page's JavaScript reads them, not the default floats.
        return JsonPath.from(answer)
                .using(new JsonPathConfig(JsonPathConfig.NumberReturnType.DOUBLE));
    }

    /** The data-value of every cell of the tables matched by {@code tables}, row by row. */
    @SuppressWarnings("unchecked")
    static List<List<List<String>>> tableValues(Locator tables) {
        return (List<List<List<String>>>) tables.evaluateAll("ts => ts.map(t => Array.from("
                + "t.querySelectorAll('tbody tr'), r => Array.from(r.querySelectorAll('td'),"
                + " c => c.dataset.value)))");
    }

    /** Asserts that a table's cells equal {@code expected} [rows][cols] exactly; null = masked. */
    static void assertSameMatrix(String what, List<?> expected, List<List<String>> shown) {
        assertEquals(expected.size(), shown.size(), what + ": rows");
        for (int i = 0; i < expected.size(); i++) {
            List<?> row = (List<?>) expected.get(i);
            for (int j = 0; j < row.size(); j++) {
                Object e = row.get(j);
                String s = shown.get(i).get(j);
                if (e == null) {
                    assertEquals("null", s, what + " [" + i + "][" + j + "] is masked");
                } else {
                    assertEquals(((Number) e).doubleValue(), Double.parseDouble(s),
                            what + " [" + i + "][" + j + "]");
                }
            }
        }
    }

    void screenshots(String name) {
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(SCREENSHOTS.resolve(name + "-desktop.png")));
        page.setViewportSize(390, 844);
        page.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(SCREENSHOTS.resolve(name + "-390px.png")));
        Number overflow = (Number) page.evaluate(
                "() => document.documentElement.scrollWidth - window.innerWidth");
        assertTrue(overflow.intValue() <= 0, "no sideways scrolling at 390 px: " + overflow);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
