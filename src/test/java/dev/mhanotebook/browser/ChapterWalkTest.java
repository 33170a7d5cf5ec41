package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import dev.mhanotebook.chapters.Chapter;
import dev.mhanotebook.chapters.ChapterLibrary;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

/**
 * A reader's walk through the whole tutorial: from the first chapter, every experiment of every
 * chapter runs to its result (the long sweep by its Run button, as a reader starts it), then the
 * "Next" link leads to the next chapter in the documented order, up to the conclusion.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class ChapterWalkTest {
    /** Experiments that wait for the reader's Run instead of computing on load. */
    static final List<String> ON_REQUEST = List.of("length-sweep");

    @Inject
    ChapterLibrary library;

    @TestHTTPResource("/")
    URL root;

    @Test
    void everyChapterInOrderRunsEveryExperiment() {
        List<Chapter> chapters = library.all();
        assertEquals("introduction", chapters.get(0).slug());
        assertEquals("conclusion", chapters.get(chapters.size() - 1).slug());
        List<String> walked = new ArrayList<>();
        int experiments = 0;
        try (ChapterBrowser b = new ChapterBrowser()) {
            Page page = b.open(root.toString().replaceAll("/$", "") + chapters.get(0).path());
            for (int c = 0; c < chapters.size(); c++) {
                Chapter chapter = chapters.get(c);
                assertTrue(page.url().endsWith(chapter.path()), "at " + chapter.path()
                        + ", not " + page.url());
                assertThat(page.locator("h1")).containsText(chapter.title());
                Locator all = page.getByTestId("experiment");
                int n = all.count();
                for (int i = 0; i < n; i++) {
                    Locator experiment = all.nth(i);
                    if (ON_REQUEST.contains(experiment.getAttribute("data-experiment"))) {
                        experiment.getByTestId("run").click();
                    }
                }
                for (int i = 0; i < n; i++) {
                    assertThat(all.nth(i).getByTestId("status")).hasAttribute("data-state", "done");
                }
                experiments += n;
                walked.add(chapter.slug() + " (" + n + " experiments)");
                if (c + 1 < chapters.size()) {
                    page.locator("a[rel=next]").first().click();
                    page.waitForURL("**" + chapters.get(c + 1).path());
                } else {
                    assertEquals(0, page.locator("a[rel=next]").count(), "the last chapter has no next");
                }
            }
            System.out.println("Walked " + walked + ": " + experiments + " experiments");
            b.closePage();
        }
    }
}
