package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;

import dev.mhanotebook.chapters.ChapterLibrary;
import dev.mhanotebook.chapters.KatexFonts;
import dev.mhanotebook.chapters.WebJars;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The formulas the build typeset (Formulas, TypesetFormulas) are what KaTeX makes in the browser
 * for the same TeX; they show with KaTeX's fonts even with scripts off, drawn from the build's
 * subsets of those fonts (SubsetKatexFonts); and a page runs KaTeX only once a formula made at
 * run time (the shape trace's) comes near the screen.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class TypesetMathBrowserTest {
    private static ChapterBrowser browser;

    @TestHTTPResource("/")
    URL root;

    @Inject
    ChapterLibrary library;

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

    private String url(String path) {
        return root.toString().replaceAll("/$", "") + path;
    }

    /**
     * On every page with formulas, KaTeX loaded into the page turns each typeset formula's TeX
     * (from its MathML annotation) into exactly the markup the server sent: both strings parsed
     * by the browser serialise the same. (The page's own fallback uses katex.render, which sets
     * the same styles through the DOM.)
     */
    @Test
    void everyTypesetFormulaIsWhatKatexMakesInTheBrowser() {
        List<String> paths = new ArrayList<>();
        library.all().forEach(c -> paths.add(c.path()));
        paths.addAll(List.of("/notation", "/glossary", "/search?q=d_k+scaled"));
        int checked = 0;
        for (String path : paths) {
            Page page = browser.open(url(path));
            page.addScriptTag(new Page.AddScriptTagOptions().setUrl(WebJars.webjars.katexJs()));
            @SuppressWarnings("unchecked")
            Map<String, Object> result = (Map<String, Object>) page.evaluate("() => {"
                    + " const typeset = [...document.querySelectorAll('.math.typeset')];"
                    + " const differ = [];"
                    + " for (const e of typeset) {"
                    + "   const tex = e.querySelector('annotation[encoding=\"application/x-tex\"]')"
                    + "     .textContent;"
                    + "   const fresh = document.createElement(e.tagName);"
                    + "   fresh.innerHTML = katex.renderToString(tex, { displayMode:"
                    + "     e.classList.contains('math-display'), throwOnError: false,"
                    + "     output: 'htmlAndMathml' });"
                    + "   if (fresh.innerHTML !== e.innerHTML) differ.push(tex);"
                    + " }"
                    + " return { count: typeset.length, differ }; }");
            int count = ((Number) result.get("count")).intValue();
            assertTrue(count > 0, path + " has typeset formulas");
            assertEquals(List.of(), result.get("differ"), path);
            checked += count;
            browser.closePage();
        }
        assertTrue(checked > 400, "formulas compared: " + checked);
    }

    /** With scripts off a reader still sees typeset formulas, in KaTeX's own fonts. */
    @Test
    void formulasAreTypesetWithoutScripts() {
        Page page = browser.newPage(false);
        page.navigate(url("/chapters/scaled-dot-product-attention"));
        Locator variable = page.locator(".math.typeset .mathnormal").first();
        assertThat(variable).isVisible();
        page.evaluate("() => document.fonts.ready");
        assertEquals(List.of("KaTeX_Main normal loaded", "KaTeX_Math italic loaded"),
                page.evaluate("() => [...document.fonts].filter(f => f.status !== 'unloaded'"
                        + " && ['KaTeX_Main', 'KaTeX_Math'].includes(f.family))"
                        + ".map(f => `${f.family} ${f.style} ${f.status}`).sort()"),
                "KaTeX's fonts (the build's subsets of them) are loaded");
        assertTrue(((String) variable.evaluate("e => getComputedStyle(e).fontFamily"))
                .startsWith("KaTeX_Math"));
        // The MathML beside the HTML is what a screen reader reads; KaTeX's styles clip it.
        assertEquals("rect(1px, 1px, 1px, 1px)", page.locator(".math.typeset .katex-mathml")
                .first().evaluate("e => getComputedStyle(e).clip"));
        page.screenshot(new Page.ScreenshotOptions().setPath(
                ChapterBrowser.SCREENSHOTS.resolve("typeset-math-without-scripts.png")));
    }

    /**
     * Every page with formulas draws them from the build's subsets of KaTeX's fonts alone, also
     * the shape trace's formulas KaTeX renders in the browser: read to the end with every
     * experiment run, a page fetches no full KaTeX font, and every font it fetched loaded.
     */
    @Test
    void pagesDrawFormulasFromTheFontSubsetsAlone() {
        List<String> paths = new ArrayList<>();
        library.all().forEach(c -> paths.add(c.path()));
        paths.addAll(List.of("/notation", "/glossary", "/search?q=d_k+scaled"));
        String subsets = KatexFonts.fontSubsets.path() + "/";
        assertTrue(subsets.startsWith("/katex-fonts/"), subsets);
        Set<String> fetched = new TreeSet<>();
        for (String path : paths) {
            Page page = browser.newPage();
            List<String> fonts = new ArrayList<>();
            page.onRequestFinished(r -> {
                if ("font".equals(r.resourceType())) {
                    fonts.add(r.url().replaceFirst("^https?://[^/]+", ""));
                }
            });
            page.navigate(url(path));
            ChapterBrowser.settle(page);
            page.evaluate("() => document.fonts.ready");
            assertFalse(fonts.isEmpty(), path + " fetched KaTeX's fonts");
            for (String font : fonts) {
                assertTrue(font.startsWith(subsets), path + " fetched " + font);
            }
            assertEquals(List.of(), page.evaluate("() => [...document.fonts]"
                    + ".filter(f => f.status === 'error').map(f => f.family)"), path);
            fetched.addAll(fonts);
            browser.closePage();
        }
        for (String common : KatexFonts.fontSubsets.preloads()) {
            assertTrue(fetched.contains(common), common + " in " + fetched);
        }
    }

    /**
     * The scaled dot-product attention chapter runs its experiment on load but loads no KaTeX:
     * its formulas came typeset, and its shape trace is far below the first screen. Scrolled
     * there, the trace's formulas, which the API makes at run time, render with KaTeX.
     */
    @Test
    void katexLoadsOnlyWhenTheShapeTraceComesNearTheScreen() {
        Page page = browser.newPage();
        List<String> requested = new ArrayList<>();
        page.onRequest(r -> requested.add(r.url()));
        page.navigate(url("/chapters/scaled-dot-product-attention"));
        browser.waitForAllExperiments();
        Locator formulas = page.locator("[data-testid=trace-table] td.formula > span");
        assertTrue(formulas.count() >= 10, "the trace has its steps");
        assertTrue((Boolean) page.evaluate("() => document.querySelector("
                + "'[data-testid=trace-table]').getBoundingClientRect().top > innerHeight + 1500"),
                "the trace starts far below the first screen");
        assertFalse(requested.stream().anyMatch(u -> u.endsWith("katex.min.js")),
                "KaTeX's script is not loaded on opening");
        assertEquals(true, page.evaluate("() => globalThis.katex === undefined"));
        assertEquals(0, page.locator("[data-testid=trace-table] td.formula > span[data-tex]")
                .count(), "the trace's formulas wait as TeX");

        formulas.first().scrollIntoViewIfNeeded();
        for (int i = 0; i < formulas.count(); i++) {
            assertThat(formulas.nth(i).locator(".katex")).hasCount(1);
        }
        assertTrue(requested.stream().anyMatch(u -> u.endsWith("katex.min.js")));
    }
}
