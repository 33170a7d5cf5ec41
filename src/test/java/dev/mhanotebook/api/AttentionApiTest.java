package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The attention endpoint answers the documented contract. */
@QuarkusTest
class AttentionApiTest {

    static JsonPath post(String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/attention")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void emptyObjectComputesTheDefaults() {
        JsonPath r = post("{}");
        assertEquals(1, r.getInt("spec.batch"));
        assertEquals(6, r.getInt("spec.queryLength"));
        assertEquals(16, r.getInt("spec.modelDim"));
        assertEquals(2, r.getInt("spec.heads"));
        assertEquals(8, r.getInt("spec.headDim"));
        assertEquals(List.of(1, 6, 16), shape(r.getList("output")));
        assertEquals(List.of(1, 2, 6, 6), shape(r.getList("attention")));
        assertEquals(8L * 6 * 16 * 16 + 4L * 36 * 16, r.getLong("cost.flops"));
    }

    @Test
    void sentenceWordsBecomeTokensAndLabelThePositions() {
        JsonPath r = post("{\"text\": \"The cat sat on the mat.\", \"causal\": \"top-left\"}");
        assertEquals(List.of("The", "cat", "sat", "on", "the", "mat", "."), r.getList("tokens"));
        assertEquals(7, r.getInt("spec.queryLength"));
        // Causal: row 0 sees only key 0.
        assertEquals(1.0f, r.getFloat("attention[0][0][0][0]"), 1e-6);
        assertEquals(0.0f, r.getFloat("attention[0][1][0][3]"), 0);
        // The masked step shows −∞ as null.
        int masked = r.getList("trace.name").indexOf("masked");
        given().contentType(ContentType.JSON).body("{\"text\": \"The cat sat on the mat.\", \"causal\": \"top-left\"}")
                .post("/api/v1/attention").then().body("trace[" + masked + "].value[0][0][0][1]", nullValue());
    }

    @Test
    void sameWordSameVectorAndTheSentenceChangesTheNumbers() {
        JsonPath a = post("{\"tokens\": [\"the\", \"cat\", \"the\"], \"heads\": 1}");
        // Identical tokens give identical query rows, hence identical attention rows.
        assertEquals(a.getList("attention[0][0][0]"), a.getList("attention[0][0][2]"));
        JsonPath b = post("{\"tokens\": [\"the\", \"dog\", \"the\"], \"heads\": 1}");
        assertEquals(false, a.getList("output").equals(b.getList("output")));
    }

    @Test
    void traceListsEveryStepWithShapes() {
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/attention").then()
                .statusCode(200)
                .body("trace.name", contains("q", "k", "v", "splitHeads", "scores", "scaled", "masked",
                        "attention", "headOutputs", "concat", "output"))
                .body("trace.outputShape", everyItem(notNullValue()))
                .body("trace.find { it.name == 'scores' }.outputShape", contains(1, 2, 6, 6))
                .body("trace.find { it.name == 'scores' }.value", hasSize(1))
                .body("warnings", hasSize(0));
    }

    @Test
    void largeAttentionComesPooled() {
        given().contentType(ContentType.JSON).body("{\"queryLength\": 200, \"heads\": 2}")
                .post("/api/v1/attention").then().statusCode(200)
                .body("attention", nullValue())
                .body("attentionPreview.factor", is(2))
                .body("attentionPreview.rows", is(100))
                .body("warnings", hasSize(1));
    }

    @Test
    void allThreeImplementationsAnswer() {
        for (String impl : List.of("vectorized", "loops", "tiled")) {
            JsonPath r = post("{\"implementation\": \"" + impl + "\", \"blockSize\": 4, \"causal\": \"top-left\"}");
            assertEquals(impl, r.getString("spec.implementation"));
        }
    }

    @Test
    void openApiDocumentsTheEndpoint() {
        given().get("/q/openapi?format=json").then().statusCode(200)
                .body("paths.'/api/v1/attention'.post.summary", is("Compute multi-head attention"));
    }

    @SuppressWarnings("unchecked")
    static List<Integer> shape(Object nested) {
        List<Integer> s = new java.util.ArrayList<>();
        Object o = nested;
        while (o instanceof List<?> l) {
            s.add(l.size());
            o = l.get(0);
        }
        return s;
    }
}
