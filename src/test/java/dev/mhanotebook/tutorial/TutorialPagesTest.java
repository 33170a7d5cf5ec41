package dev.mhanotebook.tutorial;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import dev.mhanotebook.chapters.Chapter;
import dev.mhanotebook.chapters.ChapterLibrary;
import dev.mhanotebook.chapters.Formulas;
import dev.mhanotebook.chapters.WebJars;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The pages beside the chapters render; every citation in a chapter names an entry of the
 * references page; the notation page names every JSON size field; the chapters come in the order
 * of the tutorial; search finds sections and links into them.
 */
@QuarkusTest
class TutorialPagesTest {
    private static final Pattern CITATION = Pattern.compile("href=\"/references#([a-z0-9-]+)\"");
    private static final Pattern ENTRY = Pattern.compile("<li id=\"([a-z0-9-]+)\"");
    /** "Name et al. 2019", "Name and Other (2019)", "Name (2019)": a citation in the prose. */
    private static final Pattern CITATION_TEXT = Pattern.compile(
            "[A-Z][\\p{L}-]+(?: et al\\.| and [A-Z][\\p{L}-]+),? \\(?(?:19|20)\\d\\d"
                    + "|[A-Z][\\p{L}-]+ \\((?:19|20)\\d\\d");
    private static final Pattern LINK = Pattern.compile("<a [^>]*>.*?</a>", Pattern.DOTALL);

    @Inject
    ChapterLibrary library;

    @Test
    void notationGlossaryReferencesAndPlaygroundRender() {
        for (String path : List.of("/notation", "/glossary", "/references", "/playground",
                "/search", "/search?q=softmax")) {
            String html = given().get(path).then().statusCode(200)
                    .contentType(containsString("text/html")).extract().asString();
            assertTrue(html.contains("<h1>"), path);
            assertTrue(html.contains("<script type=\"module\" src=\"/js/main.js\""), path);
            assertFalse(html.contains("<script>"), path + " has no inline script");
        }
    }

    @Test
    void everyCitationInAChapterNamesAReferencesEntry() {
        String references = given().get("/references").then().statusCode(200).extract().asString();
        List<String> entries = ENTRY.matcher(references).results().map(m -> m.group(1)).toList();
        int citations = 0;
        for (Chapter c : library.all()) {
            Matcher m = CITATION.matcher(c.html());
            while (m.find()) {
                citations++;
                assertTrue(entries.contains(m.group(1)),
                        c.slug() + " cites /references#" + m.group(1) + ", which does not exist");
            }
        }
        assertTrue(citations >= 10, "the chapters cite papers: " + citations);
    }

    @Test
    void everyCitationInAChapterIsALink() {
        for (Chapter c : library.all()) {
            String outsideLinks = LINK.matcher(c.html()).replaceAll("");
            List<String> bare = CITATION_TEXT.matcher(outsideLinks).results()
                    .map(m -> m.group()).toList();
            assertEquals(List.of(), bare, c.slug() + " cites without a link to /references");
        }
    }

    @Test
    void notationNamesEveryJsonSizeField() {
        String html = given().get("/notation").then().statusCode(200).extract().asString();
        for (String field : List.of("batch", "queryLength", "keyLength", "modelDim", "heads",
                "headDim", "kvHeads", "wq", "wo", "scores", "scaled", "masked", "attention",
                "headOutputs", "concat", "output")) {
            assertTrue(html.contains("<code>" + field + "</code>"), field);
        }
    }

    @Test
    void chaptersComeInTheTutorialsOrder() {
        List<String> order = List.of("introduction", "architecture",
                "scaled-dot-product-attention", "components", "implementation", "trained-model",
                "advanced", "beyond", "conclusion");
        List<String> slugs = library.all().stream().map(Chapter::slug).toList();
        List<String> known = slugs.stream().filter(order::contains).toList();
        List<String> expected = order.stream().filter(slugs::contains).toList();
        assertEquals(expected, known);
        assertEquals("introduction", slugs.get(0));
        assertEquals("conclusion", slugs.get(slugs.size() - 1));
    }

    @Test
    void searchFindsSectionsAndLinksIntoThem() {
        given().queryParam("q", "layer normalisation").get("/search").then().statusCode(200)
                .body(containsString("href=\"/chapters/architecture#layer-normalisation\""))
                .body(containsString("<mark>"));
        given().queryParam("q", "zzzyyyxxx").get("/search").then().statusCode(200)
                .body(containsString("No section contains every word of “zzzyyyxxx”."));
        given().queryParam("q", "<script>").get("/search").then().statusCode(200)
                .body(containsString("&lt;script&gt;"));
        // The code panels' quoted source is not prose: a word found only there finds nothing.
        given().queryParam("q", "addiRowVector").get("/search").then().statusCode(200)
                .body(containsString("No section contains every word of “addiRowVector”."));
        // Nor are the experiments' forms and the displayed formulas' TeX.
        String causal = given().queryParam("q", "causal mask").get("/search").then()
                .statusCode(200).body(containsString("<mark>")).extract().asString();
        assertFalse(causal.contains("The result with the defaults appears here"),
                "an experiment's form was found as prose");
        assertFalse(causal.contains("Experiment Causal mask"), "an experiment's title as a section");
        assertFalse(causal.contains("\\begin{cases}"), "displayed TeX in a snippet");
    }

    @Test
    void searchExcerptMarksEveryWordOfTheQuery() {
        String html = given().queryParam("q", "causal mask").get("/search").then()
                .statusCode(200).extract().asString();
        String first = firstExcerpt(html);
        assertTrue(Pattern.compile("(?i)<mark>causal</mark>").matcher(first).find(), first);
        assertTrue(Pattern.compile("(?i)<mark>mask</mark>").matcher(first).find(), first);
    }

    @Test
    void searchExcerptShowsInlineMathTypeset() {
        String html = given().queryParam("q", "d_k").get("/search").then()
                .statusCode(200).extract().asString();
        String first = firstExcerpt(html);
        // The formula holding the word is marked whole and typeset, as in the chapter.
        assertTrue(first.contains("<mark><span class=\"math math-inline typeset\">"
                + "<span class=\"katex\">"), first);
        assertFalse(first.contains("$"), first);
    }

    @Test
    void pagesWithMathArriveTypeset() {
        for (String path : List.of("/notation", "/glossary", "/search")) {
            String html = given().queryParams(path.equals("/search") ? Map.of("q", "d_k scaled")
                    : Map.of()).get(path).then().statusCode(200).extract().asString();
            assertEquals(Set.of(), Formulas.find(html), path + ": formulas left as TeX");
            assertTrue(html.contains("typeset\"><span class=\"katex"), path);
            assertTrue(html.contains("<link rel=\"stylesheet\" href=\""
                    + WebJars.webjars.katexCss() + "\">"), path);
        }
        // Pages without formulas do not ask for KaTeX's styles before they paint.
        for (String path : List.of("/", "/references", "/playground")) {
            String html = given().get(path).then().statusCode(200).extract().asString();
            assertFalse(html.contains("<link rel=\"stylesheet\" href=\""
                    + WebJars.webjars.katexCss()), path);
        }
    }

    @Test
    void excerptSplitsProseAndMathAndMarksEachOccurrence() {
        String text = "Scores are scaled by " + ChapterSearch.MATH_START + "\\sqrt{d_k}"
                + ChapterSearch.MATH_END + ": scaled scores";
        List<ChapterSearch.Part> parts = ChapterSearch.excerpt(text, List.of("scaled", "d_k"));
        assertEquals(List.of(
                new ChapterSearch.Part("Scores are ", false, false),
                new ChapterSearch.Part("scaled", false, true),
                new ChapterSearch.Part(" by ", false, false),
                new ChapterSearch.Part("\\sqrt{d_k}", true, true),
                new ChapterSearch.Part(": ", false, false),
                new ChapterSearch.Part("scaled", false, true),
                new ChapterSearch.Part(" scores", false, false)), parts);
    }

    /** The paragraph of the first search result. */
    private static String firstExcerpt(String html) {
        Matcher m = Pattern.compile("<ol class=\"search-results\".*?<li>.*?<p>(.*?)</p>",
                Pattern.DOTALL).matcher(html);
        assertTrue(m.find(), "a result");
        return m.group(1);
    }
}
