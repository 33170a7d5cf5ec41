package dev.mhanotebook.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

/**
 * Versioned WebJar files are cached for a year; our own scripts and styles, whose names stay the
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
