package dev.mhanotebook.chapters;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Every chapter in content/ renders, every experiment it names exists and has its form, and every
 * chapter has at least three exercises.
 */
@QuarkusTest
class ChapterPagesTest {
    @Inject
    ChapterLibrary library;

    @Test
    void everyMarkdownFileInContentIsAChapter() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("content"))) {
            long count = files.filter(p -> p.toString().endsWith(".md")).count();
            assertEquals(count, library.all().size());
        }
        assertTrue(library.find("scaled-dot-product-attention").isPresent());
    }

    @Test
    void indexListsEveryChapter() {
        var index = given().get("/").then().statusCode(200).extract().asString();
        for (Chapter c : library.all()) {
            assertTrue(index.contains("href=\"" + c.path() + "\""), c.path());
        }
    }

    @Test
    void everyChapterRendersWithTocMathAndScripts() {
        for (Chapter c : library.all()) {
            String html = given().get(c.path()).then().statusCode(200)
                    .contentType(containsString("text/html")).extract().asString();
            assertTrue(html.contains("<h1>" + c.title() + "</h1>"), c.slug());
            assertFalse(c.toc().isEmpty(), c.slug() + " has headings");
            for (Chapter.Heading h : c.toc()) {
                assertTrue(html.contains("href=\"#" + h.id() + "\""), h.id());
                assertTrue(html.contains(" id=\"" + h.id() + "\""), h.id());
            }
            assertTrue(html.contains("data-katex-css=\"" + WebJars.webjars.katexCss() + "\""));
            // The build typeset every formula: none is left as TeX, and KaTeX's styles and
            // common fonts are in the head.
            assertEquals(Set.of(), Formulas.find(html), c.slug() + ": formulas left as TeX");
            assertTrue(html.contains("class=\"math math-inline typeset\"><span class=\"katex\">"),
                    c.slug());
            assertTrue(html.contains("<link rel=\"stylesheet\" href=\""
                    + WebJars.webjars.katexCss() + "\">"), c.slug());
            // The build's subsets of KaTeX's fonts take over from KaTeX's faces, after them.
            assertTrue(html.indexOf("<style>\n" + KatexFonts.fontSubsets.css() + "\n</style>")
                    > html.indexOf(WebJars.webjars.katexCss()), c.slug());
            assertEquals(3, KatexFonts.fontSubsets.preloads().size());
            for (String font : KatexFonts.fontSubsets.preloads()) {
                assertTrue(html.contains("<link rel=\"preload\" href=\"" + font
                        + "\" as=\"font\" type=\"font/ttf\" crossorigin>"), font);
            }
            assertTrue(html.contains("<script type=\"module\" src=\"/js/main.js\""));
            assertFalse(html.contains("<script>"), "no inline script");
        }
    }

    @Test
    void contentsListShowsHeadingMathTypesetAsInTheHeading() {
        String html = given().get("/chapters/scaled-dot-product-attention").then()
                .statusCode(200).extract().asString();
        Matcher entry = Pattern.compile("<li class=\"toc-level-2\"><a href=\"#([a-z0-9_-]+)\">"
                + "Step 2: scale by one over the square root of (<span class=\"math math-inline"
                + " typeset\"><span class=\"katex\">.*?)</a></li>").matcher(html);
        assertTrue(entry.find(), "the contents list typesets the heading's d_k");
        assertTrue(html.contains("<h2 id=\"" + entry.group(1) + "\">"), entry.group(1));
    }

    @Test
    void everyChapterHasAtLeastThreeExercisesWithDistinctIds() {
        Pattern exercise = Pattern.compile("data-exercise-id=\"([a-z0-9-]+)\"");
        for (Chapter c : library.all()) {
            String html = given().get(c.path()).then().statusCode(200).extract().asString();
            List<String> ids = exercise.matcher(html).results().map(m -> m.group(1)).toList();
            assertTrue(ids.size() >= 3, c.slug() + " has at least 3 exercises: " + ids);
            assertEquals(ids.size(), Set.copyOf(ids).size(), c.slug() + " repeats an id: " + ids);
        }
    }

    @Test
    void everyExperimentAChapterNamesExistsAndRendersItsControls() {
        for (Chapter c : library.all()) {
            String html = given().get(c.path()).then().statusCode(200).extract().asString();
            for (ExperimentView e : c.experiments()) {
                assertTrue(Experiments.kind(e.kind()).isPresent(), e.kind());
                assertTrue(html.contains("id=\"" + e.domId() + "\""), e.domId());
                assertTrue(html.contains("data-experiment=\"" + e.kind() + "\""), e.kind());
                for (ExperimentView.Control control : e.controls()) {
                    assertTrue(html.contains("<label for=\"" + control.inputId() + "\">"),
                            control.inputId());
                    assertTrue(html.contains("id=\"" + control.errorId() + "\""),
                            control.errorId());
                }
            }
        }
        assertEquals(1, library.find("scaled-dot-product-attention").orElseThrow()
                .experiments().size());
    }

    @Test
    void staticAssetsAndWebJarsAreServed() {
        List<String> paths = new ArrayList<>(List.of("/css/site.css", "/css/print.css",
                "/js/main.js", "/js/page.js", "/js/api.js", "/js/libraries.js",
                WebJars.webjars.katexJs(), WebJars.webjars.katexCss(),
                WebJars.webjars.lzStringJs()));
        paths.addAll(WebJars.webjars.katexFonts());
        paths.addAll(WebJars.webjars.d3Scripts());
        for (String path : paths) {
            given().get(path).then().statusCode(200);
        }
    }

    @Test
    void guessedIndexAddressesLeadToTheIndex() {
        for (String path : List.of("/chapters", "/chapters/", "/index.html")) {
            given().redirects().follow(false).get(path).then().statusCode(301)
                    .header("Location", org.hamcrest.Matchers.endsWith("/"));
        }
    }

    @Test
    void noChapterSummaryShowsRawTex() {
        for (Chapter c : library.all()) {
            assertFalse(c.summary().contains("$") || c.summary().contains("\\"),
                    c.slug() + "'s summary, shown as plain text on the index: " + c.summary());
        }
    }

    @Test
    void unknownChapterIs404LinkingTheIndex() {
        given().get("/chapters/no-such-chapter").then().statusCode(404)
                .contentType(containsString("text/html"))
                .body(containsString("href=\"/\""))
                .body(containsString("no-such-chapter"));
    }

    @Test
    void unknownPathIsTheHtml404PageForABrowserAndJsonOtherwise() {
        String browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        for (String path : List.of("/nope", "/foo/bar")) {
            given().accept(browser).get(path).then().statusCode(404)
                    .contentType(containsString("text/html"))
                    .body(containsString("No page at “" + path + "”"))
                    .body(containsString("href=\"/\""));
            given().get(path).then().statusCode(404).contentType(containsString("json"))
                    .body("error", equalTo("no such resource"));
        }
        // Under /api/ a 404 is the API's JSON whatever the client accepts.
        given().accept(browser).get("/api/v1/nope").then().statusCode(404)
                .contentType(containsString("json"))
                .body("error", equalTo("no such resource"));
    }
}
