package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The model endpoints on the sample sentence (16 tokens: attention [6][12][16][16], 18,432
 * weights, sent whole) and on a long text (pooled).
 */
@QuarkusTest
class ModelApiTest {
    static final String SAMPLE = "The animal didn't cross the street because it was too tired.";

    static JsonPath post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post("/api/v1/model/" + path)
                .then().statusCode(200).contentType(ContentType.JSON).extract().jsonPath();
    }

    @Test
    void attentionOfEveryLayerAndHeadWithTheEmbedding() {
        JsonPath r = post("attention", "{\"text\": \"" + SAMPLE + "\"}");
        List<Integer> ids = r.getList("ids", Integer.class);
        assertEquals(List.of(101, 1996, 4111, 2134, 1005, 1056, 2892, 1996, 2395, 2138, 2009,
                2001, 2205, 5458, 1012, 102), ids);
        assertEquals("[CLS]", r.getString("tokens[0]"));
        assertEquals(6, r.getInt("layers"));
        assertEquals(12, r.getInt("heads"));
        assertEquals(6, r.getList("attention").size());
        assertEquals(12, r.getList("attention[5]").size());
        List<Float> row = r.getList("attention[3][1][10]", Float.class);
        assertEquals(16, row.size());
        assertEquals(1.0, row.stream().mapToDouble(Float::doubleValue).sum(), 1e-4);
        assertEquals(384, r.getList("embedding").size());
        List<Float> rollout = r.getList("rollout[10]", Float.class);
        assertEquals(1.0, rollout.stream().mapToDouble(Float::doubleValue).sum(), 1e-4);
        assertNull(r.get("prunedEmbedding"));
        assertNull(r.get("cosine"));
        assertNull(r.get("attentionPreview"));
        assertEquals(List.of(), r.getList("warnings"));
    }

    @Test
    void pruningZeroesTheHeadAndReportsTheCosine() {
        JsonPath r = post("attention",
                "{\"text\": \"" + SAMPLE + "\", \"prune\": [[3, 1], [5, 11]]}");
        List<Float> row = r.getList("attention[3][1][10]", Float.class);
        assertEquals(0.0, row.stream().mapToDouble(Float::doubleValue).sum(), 0.0);
        double cosine = r.getDouble("cosine");
        assertTrue(cosine < 1 && cosine > 0.5, "cosine " + cosine);
        assertEquals(384, r.getList("prunedEmbedding").size());
        assertEquals(List.of(List.of(3, 1), List.of(5, 11)), r.getList("pruned"));
    }

    @Test
    void longTextIsTruncatedPooledAndOneHeadCanBeAskedInFull() {
        String text = "word ".repeat(300);
        JsonPath r = post("attention", "{\"text\": \"" + text + "\", \"layer\": 2, \"head\": 7}");
        assertEquals(128, r.getList("tokens").size());
        assertNull(r.get("attention"));
        assertEquals(5, r.getInt("attentionPreview.factor"));
        assertEquals(26, r.getInt("attentionPreview.rows"));
        assertEquals(6, r.getList("attentionPreview.values").size());
        assertEquals(128, r.getList("headAttention").size());
        assertEquals(128, r.getList("headAttention[0]").size());
        assertNull(r.get("layerAttention"));
        List<String> warnings = r.getList("warnings", String.class);
        assertTrue(warnings.stream().anyMatch(w -> w.contains("more than 128 tokens")),
                warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("mean-pooled")), warnings.toString());
    }

    @Test
    void oneLayerCanBeAskedInFull() {
        JsonPath r = post("attention", "{\"text\": \"" + SAMPLE + "\", \"layer\": 0}");
        assertEquals(0, r.getInt("layer"));
        assertEquals(12, r.getList("layerAttention").size());
        assertEquals(16, r.getList("layerAttention[11]").size());
    }

    @Test
    void headImportanceIsASixByTwelveGrid() {
        JsonPath r = post("head-importance", "{\"text\": \"" + SAMPLE + "\"}");
        assertEquals(16, r.getList("tokens").size());
        List<List<Float>> importance = r.getList("importance");
        assertEquals(6, importance.size());
        for (int l = 0; l < 6; l++) {
            List<Float> layer = r.getList("importance[" + l + "]", Float.class);
            assertEquals(12, layer.size());
            for (float v : layer) {
                assertTrue(v >= -1e-6 && v <= 2, "importance " + v);
            }
        }
    }

    @Test
    void similarityBeforeAndAfterPruning() {
        JsonPath r = post("similarity", "{\"text\": \"A man is playing a guitar.\", "
                + "\"otherText\": \"Someone plays an instrument.\", \"prune\": [[5, 11], [5, 7]]}");
        double before = r.getDouble("cosineBefore");
        double after = r.getDouble("cosineAfter");
        assertTrue(before > 0.3 && before < 1, "cosine before " + before);
        assertTrue(after != before, "pruning changes the cosine");
        JsonPath same = post("similarity", "{\"text\": \"A man is playing a guitar.\", "
                + "\"otherText\": \"Someone plays an instrument.\"}");
        assertEquals(before, same.getDouble("cosineBefore"), 1e-6);
        assertEquals(same.getDouble("cosineBefore"), same.getDouble("cosineAfter"), 0.0);
    }

    @Test
    void everyModelEndpointIsInTheOpenApiDocument() {
        String doc = given().when().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        for (String path : List.of("/api/v1/model/attention", "/api/v1/model/head-importance",
                "/api/v1/model/similarity")) {
            assertTrue(doc.contains("\"" + path + "\""), path + " in the OpenAPI document");
        }
        assertNotNull(doc);
        given().when().get("/q/openapi?format=json").then().body(containsString("head_mask"));
    }
}
