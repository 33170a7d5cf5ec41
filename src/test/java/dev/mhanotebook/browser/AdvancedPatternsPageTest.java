package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * The chapter "Advanced patterns" in Debian's Chromium: every experiment shows its result, the
 * replay steps through its tiles, and the length sweep (a long job) fills its progress bar and
 * its table through server-sent events.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class AdvancedPatternsPageTest {
    private static final LocatorAssertions.HasAttributeOptions SLOW =
            new LocatorAssertions.HasAttributeOptions().setTimeout(180_000);
    private static ChapterBrowser browser;

    @TestHTTPResource("/chapters/advanced")
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
    void open() {
        page = browser.newPage();
        // The page starts its experiments together: the compute gate may answer 429 (busy), and
        // api.js retries after Retry-After, as it should.
        browser.allowFailedResponse(429, "");
        page.navigate(chapter.toString());
    }

    @AfterEach
    void closePage() {
        browser.closePage();
    }

    private Locator experiment(String id) {
        return page.locator("[data-experiment-id=\"" + id + "\"]");
    }

    private void assertDone(Locator experiment) {
        assertThat(experiment.getByTestId("status")).hasAttribute("data-state", "done", SLOW);
    }

    @Test
    void everyInteractiveExperimentShowsItsResult() {
        Locator replay = experiment("replay");
        assertDone(replay);
        assertThat(replay.getByTestId("replay-difference"))
                .containsText(Pattern.compile("difference .* is \\d\\.\\de[-+]\\d+"));
        Locator slider = replay.getByTestId("replay-slider");
        slider.evaluate("s => { s.value = s.max; s.dispatchEvent(new Event('input')); }");
        assertThat(replay.locator(".tile-pending")).hasCount(0);

        Locator kv = experiment("kv-cache");
        assertDone(kv);
        assertThat(kv.getByTestId("kv-summary")).containsText("saved");
        // "A man is playing a guitar on the stage tonight": 10 steps.
        assertThat(kv.getByTestId("kv-steps").locator("tbody tr")).hasCount(10);

        Locator checkpointing = experiment("checkpointing");
        assertDone(checkpointing);
        assertThat(checkpointing.getByTestId("checkpointing-runs").locator("tbody tr"))
                .hasCount(2);

        Locator cross = experiment("cross");
        assertDone(cross);
        // 7 query pieces × 5 key pieces, one map.
        assertThat(cross.getByTestId("heatmap-cell")).hasCount(35);
    }

    @Test
    void lengthSweepFillsItsProgressBarAndTableThroughServerSentEvents() {
        Locator sweep = experiment("sweep");
        assertThat(sweep.getByTestId("status")).hasAttribute("data-state", "idle");
        sweep.getByLabel("Model width d_model").fill("16");
        sweep.getByLabel("Heads h").fill("2");
        sweep.getByLabel("Shortest length").fill("64");
        sweep.getByLabel("Longest length").fill("256");
        sweep.getByTestId("run").click();
        assertDone(sweep);
        assertEquals(1.0, ((Number) sweep.getByTestId("progress").evaluate("p => p.value"))
                .doubleValue(), 1e-9);
        // 64, 128 and 256 tokens on both paths.
        assertThat(sweep.getByTestId("sweep-points").locator("tbody tr")).hasCount(6);
    }
}
