package dev.mhanotebook.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mhanotebook.chapters.KatexFonts;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Versioned WebJar files and the build's hashed font subsets are cached for a year; our own scripts and styles, whose names stay the
 * same across releases, are revalidated on each use; pages and API answers carry no caching.
 */
@QuarkusTest
class CacheHeadersTest {

    @Test
    void aWebJarFileWithItsVersionInThePathIsKeptAYear() {
        String katex = given().get("/").then().statusCode(200).extract().asString()
                .replaceAll("(?s).*data-katex-js=\"([^\"]+)\".*", "$1");
        given().get(katex).then().statusCode(200)
                .header("Cache-Control", CacheHeaders.VERSIONED);
    }

    /** The build names a folder of font subsets by their hash: kept a year, sent gzipped. */
    @Test
    void aFontSubsetInItsHashedFolderIsKeptAYearAndSentCompressed() {
        KatexFonts.Subsets subsets = KatexFonts.fontSubsets;
        assertFalse(subsets.faces().isEmpty(), "the build wrote font subsets");
        for (KatexFonts.Face face : subsets.faces()) {
            given().header("Accept-Encoding", "gzip").get(subsets.path() + "/" + face.file())
                    .then().statusCode(200)
                    .header("Cache-Control", CacheHeaders.VERSIONED)
                    .header("Content-Encoding", "gzip");
        }
        given().get(subsets.path() + "/KaTeX_NoSuch-Regular.ttf").then().statusCode(404);
    }

    @Test
    void ourScriptsAndStylesAreRevalidatedAndAnswer304WhenUnchanged() {
        for (String path : new String[] {"/js/main.js", "/js/page.js", "/css/site.css",
                "/favicon.svg", "/webjars/katex/dist/katex.min.js"}) {
            String modified = given().get(path).then().statusCode(200)
                    .header("Cache-Control", CacheHeaders.REVALIDATE)
                    .extract().header("Last-Modified");
            given().header("If-Modified-Since", modified).get(path).then().statusCode(304);
        }
    }

    @Test
    void pagesAndApiAnswersCarryNoCacheControl() {
        given().get("/chapters/introduction").then().statusCode(200)
                .header("Cache-Control", nullValue());
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/attention").then()
                .statusCode(200).header("Cache-Control", nullValue());
    }
}
