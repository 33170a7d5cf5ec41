package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.deque.html.axecore.playwright.AxeBuilder;
import com.deque.html.axecore.results.AxeResults;
import com.deque.html.axecore.results.Rule;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.ColorScheme;
import com.microsoft.playwright.options.Media;

import dev.mhanotebook.chapters.Chapter;
import dev.mhanotebook.chapters.ChapterLibrary;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The tutorial in Debian's Chromium: axe-core finds no WCAG 2.1 A/AA violation on any page, in
 * light and dark mode; a shared link reproduces an experiment's numbers; the playground runs with
 * explicit tensors and its link carries them; heatmaps work from the keyboard; exports download;
 * no page scrolls sideways at 390 px; print hides the controls.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class TutorialBrowserTest {
    private static final List<String> CHROMIUM_ARGS = List.of("--no-sandbox", "--disable-gpu",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--no-first-run", "--disable-quic");
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final List<String> WCAG = List.of("wcag2a", "wcag2aa", "wcag21aa");

    private static Playwright playwright;
    private static Browser browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    ChapterLibrary library;

    private BrowserContext context;
    private Page page;
    private final List<String> scriptErrors = new ArrayList<>();

    @BeforeAll
    static void launch() {
        playwright = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium"))
                .setArgs(CHROMIUM_ARGS));
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    }

    @AfterAll
    static void close() {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
    }

    @BeforeEach
    void open() {
        context = newContext(ColorScheme.LIGHT, 1280);
        page = newPage(context);
    }

    @AfterEach
    void closeContext() {
        context.close();
        assertEquals(List.of(), scriptErrors, "script errors in the page");
    }

    private BrowserContext newContext(ColorScheme scheme, int width) {
        return browser.newContext(new Browser.NewContextOptions().setViewportSize(width, 900)
                .setColorScheme(scheme).setAcceptDownloads(true));
    }

    private Page newPage(BrowserContext in) {
        Page p = in.newPage();
        p.onPageError(scriptErrors::add);
        return p;
    }

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    /**
     * Every page of the site: index, chapters, the tutorial's pages, a search, a quoted source
     * file of each language and the 404s.
     */
    private List<String> pages() {
        List<String> paths = new ArrayList<>(List.of("/"));
        library.all().stream().map(Chapter::path).forEach(paths::add);
        paths.addAll(List.of("/notation", "/glossary", "/references", "/playground",
                "/search?q=softmax", "/search?q=d_k+scaled", "/source/VectorizedAttention.java",
                "/source/components.py", "/chapters/no-such-chapter", "/source/no-such-file.java",
                "/no/such/page"));
        return paths;
    }

    /**
     * Opens {@code path} and waits until every experiment on it shows its first result; the long
     * sweep, which waits for the reader's Run, stays idle. Code panels are opened, so that their
     * highlighted code is checked too.
     */
    private void openAndSettle(Page p, String path) {
        p.navigate(url(path));
        ChapterBrowser.settle(p);
        p.evaluate("() => document.querySelectorAll('details.code-panel')"
                + ".forEach(d => d.open = true)");
        assertThat(p.locator("details.code-panel code:not(.code-numbered)")).hasCount(0);
        assertThat(p.locator("[data-testid=source-file] code:not(.hljs)")).hasCount(0);
    }

    private static String describe(List<Rule> violations) {
        return violations.stream().map(v -> v.getId() + " (" + v.getImpact() + "): "
                + v.getNodes().stream().map(n -> n.getTarget() + " " + n.getHtml())
                        .limit(3).collect(Collectors.joining("; ")))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void axeFindsNoViolationOnAnyPageInLightAndDarkMode() {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            BrowserContext c = newContext(scheme, 1280);
            Page p = newPage(c);
            for (String path : pages()) {
                openAndSettle(p, path);
                // Blocks far below the screen are laid out only as they come near it
                // (content-visibility: auto): scroll through once, as a reader would, so that
                // every block has its real size while axe measures where text and background are.
                p.evaluate("async () => { for (let y = 0; y < document.body.scrollHeight;"
                        + " y += innerHeight / 2) { scrollTo(0, y); await new Promise(r =>"
                        + " requestAnimationFrame(() => requestAnimationFrame(r))); }"
                        + " scrollTo(0, 0); }");
                AxeResults results = new AxeBuilder(p).withTags(WCAG).analyze();
                assertTrue(results.getPasses().size() > 0, "axe ran on " + path);
                if (!results.getViolations().isEmpty()) {
                    failures.add(scheme + " " + path + ":\n" + describe(results.getViolations()));
                }
                checked++;
            }
            c.close();
        }
        System.out.printf("axe: %d pages checked in light and dark (%d runs)%n", pages().size(),
                checked);
        assertEquals(List.of(), failures, "axe violations");
    }

    @SuppressWarnings("unchecked")
    private static List<String> cellValues(Page p, String experiment) {
        return (List<String>) p.evaluate("id => Array.from(document.querySelectorAll("
                + "`[data-experiment-id='${id}'] [data-testid=heatmap-cell]`), "
                + "c => c.dataset.value)", experiment);
    }

    @Test
    void sharedLinkReproducesTheSameNumbers() {
        openAndSettle(page, "/chapters/introduction");
        Locator experiment = page.locator("[data-experiment-id=first]");
        List<String> defaults = cellValues(page, "first");
        experiment.getByLabel("Sentence").fill("Links carry every setting of an experiment");
        experiment.getByTestId("run").click();
        assertThat(experiment.getByTestId("heatmap-cell")).hasCount(2 * 7 * 7);
        assertThat(experiment.getByTestId("status")).hasAttribute("data-state", "done");
        List<String> shown = cellValues(page, "first");
        assertNotEquals(defaults, shown);
        String link = page.url();
        assertTrue(link.contains("first.text=Links+carry"), link);

        BrowserContext other = newContext(ColorScheme.LIGHT, 1280);
        Page second = newPage(other);
        openAndSettle(second, link.replace(root.toString().replaceAll("/$", ""), ""));
        Locator reopened = second.locator("[data-experiment-id=first]");
        assertThat(reopened.getByLabel("Sentence"))
                .hasValue("Links carry every setting of an experiment");
        assertThat(reopened.getByTestId("heatmap-cell")).hasCount(2 * 7 * 7);
        assertEquals(shown, cellValues(second, "first"));
        other.close();
    }

    @Test
    void playgroundRunsExplicitTensorsAndItsLinkCarriesThemCompressed() {
        openAndSettle(page, "/playground");
        Locator playground = page.getByTestId("playground");
        assertThat(playground.getByTestId("heatmap")).hasCount(2);
        playground.getByLabel("Sentence (queries)").fill("");
        playground.getByLabel("d_model").fill("");
        playground.getByLabel("Heads h").fill("2");
        playground.getByLabel("K/V heads g").fill("1");
        playground.getByLabel("Causal mask").selectOption("bottom-right");
        playground.getByLabel("Implementation").selectOption("tiled");
        playground.getByLabel("Tile size").fill("2");
        playground.getByLabel("Tensors and weights (JSON)").fill("{\"query\":[[[1,0,0,0],"
                + "[0,1,0,0]]],\"key\":[[[1,1,0,0],[0,0,1,1],[1,0,1,0]]],\"value\":[[[1,2,3,4],"
                + "[5,6,7,8],[9,10,11,12]]]}");
        playground.getByTestId("run").click();
        assertThat(playground.getByTestId("heatmap-cell")).hasCount(2 * 2 * 3);
        assertThat(playground.getByTestId("status")).hasAttribute("data-state", "done");
        assertThat(playground.getByTestId("heatmap")).hasCount(2);
        assertThat(playground.getByTestId("cost")).containsText("tiled");
        assertThat(playground.getByTestId("cost")).containsText("g=1");
        List<String> shown = cellValues(page, "playground");
        String link = page.url();
        assertTrue(link.contains("#playground.tensors="), link);
        assertTrue(link.contains("playground.text=&"), link);
        assertEquals("complete", playground.getAttribute("data-link-state"));

        BrowserContext other = newContext(ColorScheme.LIGHT, 1280);
        Page second = newPage(other);
        openAndSettle(second, link.replace(root.toString().replaceAll("/$", ""), ""));
        Locator reopened = second.getByTestId("playground");
        assertThat(reopened.getByLabel("Implementation")).hasValue("tiled");
        assertThat(reopened.getByTestId("heatmap-cell")).hasCount(2 * 2 * 3);
        assertEquals(shown, cellValues(second, "playground"));
        other.close();
    }

    @Test
    void tensorsTooLargeForALinkAskForAJsonFile() {
        openAndSettle(page, "/playground");
        Locator playground = page.getByTestId("playground");
        playground.getByLabel("Sentence (queries)").fill("");
        playground.getByLabel("d_model").fill("");
        // 100 x 32 seeded pseudo-random numbers compress to well over 8,000 characters.
        String query = (String) page.evaluate("() => { let s = 1; const r = () => "
                + "((s = (s * 16807) % 2147483647) / 2147483647).toFixed(6); return JSON.stringify("
                + "{query: [Array.from({length: 100}, () => Array.from({length: 32}, () => "
                + "Number(r())))]}); }");
        playground.getByLabel("Tensors and weights (JSON)").fill(query);
        playground.getByTestId("run").click();
        assertThat(playground.getByTestId("heatmap")).hasCount(2);
        assertThat(playground).hasAttribute("data-link-state", "too-large");
        assertThat(playground.getByTestId("share-note")).containsText("save the experiment as JSON");
        assertFalse(page.url().contains("tensors="), page.url());
    }

    @Test
    void playgroundSavesAndLoadsTheExperimentAsJson() throws Exception {
        openAndSettle(page, "/playground");
        Locator playground = page.getByTestId("playground");
        playground.getByLabel("Heads h").fill("4");
        Download saved = page.waitForDownload(() -> playground.getByTestId("save-json").click());
        String json = Files.readString(saved.path(), StandardCharsets.UTF_8);
        assertTrue(json.contains("\"heads\": 4"), json);

        Path file = Files.createTempFile("mha-playground-", ".json");
        Files.writeString(file, "{\"text\":\"one two three\",\"modelDim\":8,\"heads\":8}");
        playground.getByTestId("load-json").setInputFiles(file);
        assertThat(playground.getByLabel("Heads h")).hasValue("8");
        assertThat(playground.getByTestId("heatmap")).hasCount(8);
        assertThat(playground.getByTestId("heatmap-cell")).hasCount(8 * 3 * 3);
        Files.delete(file);
    }

    @Test
    void playgroundShowsTheServersMessageForBadTensors() {
        openAndSettle(page, "/playground");
        Locator playground = page.getByTestId("playground");
        playground.getByLabel("Tensors and weights (JSON)").fill("{\"query\": [[[1, 2]]]}");
        playground.getByTestId("run").click();
        assertThat(playground.getByTestId("status")).hasAttribute("data-state", "bad-input");
        assertThat(playground.getByTestId("error-tensors")).containsText("query");
        playground.getByLabel("Tensors and weights (JSON)").fill("{not json");
        playground.getByTestId("run").click();
        assertThat(playground.getByTestId("error-tensors")).containsText("Not valid JSON");
    }

    @Test
    void headsSideBySideKeepFlopsAndSplitTheWidth() {
        openAndSettle(page, "/chapters/architecture");
        Locator compare = page.getByTestId("heads-compare");
        Locator rows = compare.getByTestId("heads-row");
        assertThat(rows).hasCount(4);
        int[] heads = {1, 2, 4, 8};
        String flops = null;
        for (int i = 0; i < heads.length; i++) {
            Locator row = rows.nth(i);
            assertThat(row.getByTestId("heatmap")).hasCount(heads[i]);
            assertEquals(String.valueOf(16 / heads[i]),
                    row.locator("[data-fact=headDim]").textContent());
            String f = row.locator("[data-fact=flops]").textContent();
            if (flops != null) {
                assertEquals(flops, f, "FLOPs do not depend on h");
            }
            flops = f;
        }
        compare.getByLabel("d_model (the same in every row)").fill("12");
        compare.getByTestId("run").click();
        assertThat(compare.getByTestId("status")).containsText("skipped");
        assertThat(rows.nth(3).locator("[data-fact=headDim]")).containsText("not whole");
        assertTrue(page.url().contains("heads-compare.modelDim=12"), page.url());
    }

    @Test
    void heatmapsWorkFromTheKeyboardWithTableAndSummary() {
        openAndSettle(page, "/chapters/architecture");
        Locator experiment = page.locator("[data-experiment-id=heads]");
        assertThat(experiment.getByTestId("heatmap")).hasCount(4);
        Locator firstMap = experiment.locator(".heatmap-frame").first();
        assertEquals("0", firstMap.getAttribute("tabindex"));
        // Tab from the Run button's neighbours reaches a heatmap.
        experiment.getByTestId("run").focus();
        boolean reached = false;
        for (int i = 0; i < 12 && !reached; i++) {
            page.keyboard().press("Tab");
            reached = (Boolean) page.evaluate(
                    "() => document.activeElement.classList.contains('heatmap-frame')");
        }
        assertTrue(reached, "Tab reaches a heatmap");
        firstMap.focus();
        Locator readout = experiment.getByTestId("heatmap-readout").first();
        assertThat(readout).containsText("row 1");
        page.keyboard().press("ArrowRight");
        page.keyboard().press("ArrowDown");
        assertThat(readout).containsText("Query “animal” (row 2) → key “animal” (column 2)");
        page.keyboard().press("End");
        assertThat(readout).containsText("(column 12)");
        assertFalse(experiment.locator(".heatmap-summary").first().textContent().isBlank());
        assertThat(experiment.locator(".heatmap-summary").first()).containsText("Largest weight");
        Locator table = experiment.getByTestId("heatmap-table").first();
        assertThat(table.locator("tbody tr")).hasCount(12);
        assertThat(table.locator("thead th")).hasCount(13);
        assertEquals(firstMap.getAttribute("aria-describedby"),
                experiment.locator(".heatmap-summary").first().getAttribute("id"));
        assertThat(experiment.getByTestId("heatmap-legend")).containsText("Attention weight");
    }

    /**
     * Needs the exercise framework of branch {@code chapters}; until it is merged the exercises
     * show as code blocks and this test is skipped, saying so.
     */
    @Test
    void exerciseAnsweredRightAndWrongSaysSoAndExplains() {
        openAndSettle(page, "/chapters/introduction");
        Assumptions.assumeTrue(page.locator("#exercise-intro-weights-sum").count() == 1,
                "the exercise framework (branch chapters) is not merged yet");
        Locator right = page.locator("#exercise-intro-weights-sum");
        right.getByTestId("exercise-input").fill("0.4");
        right.getByTestId("exercise-check").click();
        assertThat(right.getByTestId("exercise-feedback")).hasAttribute("data-result", "right");
        assertThat(right.getByTestId("exercise-explanation")).isVisible();

        Locator wrong = page.locator("#exercise-intro-heatmap-shape");
        wrong.getByTestId("exercise-input").fill("[1, 2, 12, 13]");
        wrong.getByTestId("exercise-check").click();
        assertThat(wrong.getByTestId("exercise-feedback")).hasAttribute("data-result", "wrong");
        assertThat(wrong.getByTestId("exercise-feedback")).containsText("[1, 2, 12, 12]");
        assertThat(wrong.getByTestId("exercise-explanation")).isVisible();

        page.reload();
        assertThat(page.locator("#exercise-intro-weights-sum").getByTestId("exercise-feedback"))
                .hasAttribute("data-result", "right");
    }

    @Test
    void exportsDownloadSvgPngCsvJsonTraceAndNotebook() throws Exception {
        openAndSettle(page, "/chapters/introduction");
        Locator experiment = page.locator("[data-experiment-id=first]");
        Map<String, String> expected = Map.of(
                "export-svg", "<svg",
                "export-csv", "batch,head,query,key,queryToken,keyToken,weight",
                "export-output-csv", "batch,position,token,y0",
                "export-json", "\"attention\"",
                "export-trace", "| 1 | `q` |",
                "export-notebook", "\"nbformat\"");
        for (var e : expected.entrySet()) {
            Download d = page.waitForDownload(() -> experiment.getByTestId(e.getKey()).click());
            String text = Files.readString(d.path(), StandardCharsets.UTF_8);
            assertTrue(text.contains(e.getValue()), e.getKey() + ": " + text.substring(0,
                    Math.min(300, text.length())));
        }
        Download png = page.waitForDownload(() -> experiment.getByTestId("export-png").click());
        byte[] bytes = Files.readAllBytes(png.path());
        assertTrue(bytes.length > 1000 && bytes[1] == 'P' && bytes[2] == 'N' && bytes[3] == 'G',
                "a PNG of " + bytes.length + " bytes");
        String csv = Files.readString(page.waitForDownload(
                () -> experiment.getByTestId("export-csv").click()).path());
        assertEquals(1 + 2 * 12 * 12, csv.strip().split("\n").length, "one line per weight");
    }

    /** The exported heatmaps carry the colour scale, as the page shows it under them. */
    @Test
    void exportedHeatmapsCarryTheColourScale() throws Exception {
        openAndSettle(page, "/chapters/introduction");
        Locator experiment = page.locator("[data-experiment-id=first]");
        String svg = Files.readString(page.waitForDownload(
                () -> experiment.getByTestId("export-svg").click()).path());
        assertTrue(svg.contains("data-testid=\"export-legend\"") && svg.contains("linearGradient")
                && svg.contains("Attention weight, 0 to"), "the SVG has the legend");
        Download pngDownload = page.waitForDownload(
                () -> experiment.getByTestId("export-png").click());
        Files.createDirectories(SCREENSHOTS);
        pngDownload.saveAs(SCREENSHOTS.resolve("export-heatmaps.png"));
        byte[] png = Files.readAllBytes(pngDownload.path());
        // IHDR: the height is the big-endian int at byte 20; the PNG is drawn at twice the size.
        int height = ((png[20] & 0xff) << 24 | (png[21] & 0xff) << 16 | (png[22] & 0xff) << 8
                | (png[23] & 0xff)) / 2;
        Number maps = (Number) experiment.evaluate("e => Math.max(...[...e.querySelectorAll("
                + "'.heatmap svg')].map(s => Number(s.getAttribute('height')))) + 28");
        assertTrue(height > maps.intValue() + 30, "the PNG (" + height + " px high) has room for "
                + "the legend under the maps (" + maps + " px)");
    }

    @Test
    void noPageScrollsSidewaysAt390PixelsAndPrintHidesTheControls() {
        BrowserContext phone = newContext(ColorScheme.LIGHT, 390);
        Page p = newPage(phone);
        List<String> wide = new ArrayList<>();
        for (String path : pages()) {
            openAndSettle(p, path);
            Number overflow = (Number) p.evaluate(
                    "() => document.documentElement.scrollWidth - window.innerWidth");
            if (overflow.intValue() > 0) {
                wide.add(path + " by " + overflow + " px: " + p.evaluate("() => Array.from("
                        + "document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect()"
                        + ".right > window.innerWidth + 1 && e.parentElement.getBoundingClientRect()"
                        + ".right <= window.innerWidth + 1).slice(0, 4).map(e => e.tagName + '.'"
                        + " + e.className).join(', ')"));
            }
        }
        openAndSettle(p, "/chapters/introduction");
        p.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(SCREENSHOTS.resolve("introduction-390px.png")));
        openAndSettle(p, "/playground");
        p.screenshot(new Page.ScreenshotOptions().setFullPage(true)
                .setPath(SCREENSHOTS.resolve("playground-390px.png")));
        p.emulateMedia(new Page.EmulateMediaOptions().setMedia(Media.PRINT));
        assertThat(p.locator(".site-nav")).isHidden();
        assertThat(p.locator(".experiment-form")).isHidden();
        assertThat(p.getByTestId("export-bar")).isHidden();
        assertThat(p.getByTestId("heatmap").first()).isVisible();
        phone.close();
        assertEquals(List.of(), wide, "pages wider than 390 px");
    }

    @Test
    void screenshotsOfEveryTutorialPageInLightAndDark() {
        for (ColorScheme scheme : List.of(ColorScheme.LIGHT, ColorScheme.DARK)) {
            BrowserContext c = newContext(scheme, 1280);
            Page p = newPage(c);
            for (String path : List.of("/", "/chapters/introduction", "/chapters/architecture",
                    "/chapters/conclusion", "/notation", "/glossary", "/references", "/playground",
                    "/search?q=heads")) {
                openAndSettle(p, path);
                String name = path.equals("/") ? "index" : path.replaceAll("[^a-z]+", "-")
                        .replaceAll("^-|-$", "");
                p.screenshot(new Page.ScreenshotOptions().setFullPage(true).setPath(SCREENSHOTS
                        .resolve(name + "-" + scheme.name().toLowerCase() + ".png")));
            }
            c.close();
        }
    }
}
