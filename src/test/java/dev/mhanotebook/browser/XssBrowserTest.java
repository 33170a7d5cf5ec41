package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * Text a reader types is shown as text: a sentence that is an HTML payload runs no script in the
 * experiment, its heatmap labels and trace, nor on the search page that echoes the query.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class XssBrowserTest {
    static final String PAYLOAD =
            "<img src=x onerror=\"window.__xss=1\"> <script>window.__xss=2</script>";

    @TestHTTPResource("/chapters/scaled-dot-product-attention")
    URL chapter;

    @TestHTTPResource("/search")
    URL search;

    @Test
    void aSentenceThatIsHtmlRunsNoScriptAndShowsAsText() {
        try (ChapterBrowser b = new ChapterBrowser()) {
            Page page = b.open(chapter.toString());
            List<String> dialogs = new ArrayList<>();
            page.onDialog(d -> {
                dialogs.add(d.message());
                d.dismiss();
            });
            Locator experiment = page.getByTestId("experiment").first();
            assertThat(experiment.getByTestId("status")).hasAttribute("data-state", "done");
            experiment.getByLabel("Sentence", new Locator.GetByLabelOptions().setExact(true))
                    .fill(PAYLOAD);
            experiment.getByTestId("run").click();
            assertThat(experiment.getByTestId("status")).hasAttribute("data-state", "done");
            // The words of the payload are labels, as text; no element was made from them.
            assertThat(experiment.locator("svg text", new Locator.LocatorOptions()
                    .setHasText("onerror")).first()).isVisible();
            assertEquals(0, page.locator("img[src=x]").count(), "an <img> was injected");
            assertEquals(null, page.evaluate("() => window.__xss ?? null"), "a script ran");

            page.navigate(search + "?q=" + URLEncoder.encode(PAYLOAD, StandardCharsets.UTF_8));
            assertThat(page.locator("main")).containsText("onerror");
            assertEquals(0, page.locator("img[src=x]").count(), "search injected an <img>");
            assertEquals(null, page.evaluate("() => window.__xss ?? null"), "search ran a script");
            assertEquals(List.of(), dialogs);
            b.closePage();
        }
    }
}
