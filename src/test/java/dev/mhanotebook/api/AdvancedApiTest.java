package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The advanced chapter's endpoints: replay, KV cache, checkpointing, long sequences. */
@QuarkusTest
class AdvancedApiTest {

    static JsonPath post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when().post(path)
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void replayEndsWithTheOutputOfTheAttentionEndpoint() {
        String body = "{\"text\": \"The cat sat on the mat.\", \"modelDim\": 8, \"heads\": 2, "
                + "\"blockSize\": 3, \"causal\": \"top-left\"}";
        JsonPath replay = post("/api/v1/advanced/tiled-replay", body);
        JsonPath attention = post("/api/v1/attention", body);
        List<List<List<Float>>> a = replay.getList("output");
        List<List<List<Float>>> b = attention.getList("output");
        for (int i = 0; i < b.get(0).size(); i++) {
            for (int c = 0; c < b.get(0).get(i).size(); c++) {
                assertEquals(b.get(0).get(i).get(c), a.get(0).get(i).get(c), 1e-5,
                        "output[0][" + i + "][" + c + "]");
            }
        }
        assertTrue(replay.getDouble("maxDifference") < 1e-5);
        assertEquals(3, replay.getInt("queryBlocks"));
        assertEquals(9, replay.getList("steps").size());
        // Query block 0 (rows 0–2) cannot see key block 2 (keys 6–…): that tile is skipped.
        assertEquals(true, replay.getBoolean("steps[2].skipped"));
        assertEquals(2, replay.getInt("steps[2].tiles[0][2]"));
    }

    @Test
    void kvCacheStepsEqualFullCausalRowsAndSaveFlops() {
        JsonPath r = post("/api/v1/advanced/kv-cache",
                "{\"text\": \"A man is playing a guitar\", \"modelDim\": 16, \"heads\": 4}");
        assertEquals(6, r.getList("steps").size());
        assertTrue(r.getDouble("maxDifference") < 1e-5);
        assertEquals(6, r.getInt("steps[5].cacheLength"));
        assertTrue(r.getLong("flopsWithCache") < r.getLong("flopsWithoutCache"));
        assertEquals("top-left", r.getString("spec.causal"));
    }

    @Test
    void checkpointingKeepsFewerBytesWithTheSameGradients() {
        JsonPath r = post("/api/v1/advanced/checkpointing",
                "{\"layers\": 4, \"length\": 16, \"modelDim\": 16, \"heads\": 2}");
        assertTrue(r.getDouble("maxGradientDifference") < 1e-5);
        assertTrue(r.getLong("checkpointed.activationBytesKept")
                < r.getLong("plain.activationBytesKept"));
        assertEquals(4, r.getInt("checkpointed.recomputedLayers"));
    }

    @Test
    void longSequenceIsRefusedOnTheVectorizedPathWithTheBytesItWouldNeed() {
        given().contentType(ContentType.JSON)
                .body("{\"queryLength\": 8192, \"modelDim\": 64, \"heads\": 8}")
                .post("/api/v1/attention").then().statusCode(400)
                .body("field", is("queryLength"))
                .body("error", containsString("GiB of working memory on the vectorized path"))
                .body("error", containsString("implementation \"tiled\""));
    }

    @Test
    void longSequenceCompletesOnTheTiledPathWithinItsBudget() {
        JsonPath r = post("/api/v1/attention", "{\"queryLength\": 8192, \"modelDim\": 64, "
                + "\"heads\": 8, \"implementation\": \"tiled\"}");
        assertEquals(8192, r.getInt("spec.queryLength"));
        // Without blockSize, the tile grows with the length: 512 for 8,192 tokens.
        assertEquals(512, r.getInt("spec.blockSize"));
        assertTrue(r.getLong("cost.peakBytes") < 512L * 1024 * 1024);
    }

    @Test
    void crossAttentionAlignsTheSameWordAcrossParaphrases() {
        JsonPath r = post("/api/v1/advanced/cross-attention", "{}");
        List<String> tokens = r.getList("tokens");
        List<String> keyTokens = r.getList("keyTokens");
        assertEquals(List.of("a", "man", "is", "playing", "a", "guitar", "."), tokens);
        assertEquals(List.of("someone", "plays", "the", "guitar", "."), keyTokens);
        assertEquals("vectors", r.getString("mode"));
        List<List<Float>> a = r.getList("attention");
        assertEquals(tokens.size(), a.size());
        int guitar = tokens.indexOf("guitar");
        List<Float> row = a.get(guitar);
        assertEquals(1.0, row.stream().mapToDouble(Float::doubleValue).sum(), 1e-5);
        int best = 0;
        for (int j = 1; j < row.size(); j++) {
            best = row.get(j) > row.get(best) ? j : best;
        }
        assertEquals(keyTokens.indexOf("guitar"), best, "row of 'guitar': " + row);
        // The trace shows L ≠ S: scores [1, 1, 7, 5].
        assertEquals(List.of(1, 1, 7, 5),
                r.getList("trace.find { it.name == 'scores' }.outputShape"));
    }

    @Test
    void crossAttentionWithOneRealHeadsProjections() {
        JsonPath r = post("/api/v1/advanced/cross-attention", "{\"layer\": 2, \"head\": 3}");
        assertEquals("head", r.getString("mode"));
        assertEquals(7, r.getList("attention").size());
        assertEquals(List.of(1, 7, 32), r.getList("trace.find { it.name == 'q' }.outputShape"));
    }

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("/api/v1/advanced/cross-attention", "{\"head\": 12}", "head",
                        "between 0 and 11"),
                Arguments.of("/api/v1/advanced/cross-attention", "{\"head\": 0, \"layer\": 6}",
                        "layer", "between 0 and 5"),
                Arguments.of("/api/v1/advanced/cross-attention", "{\"layer\": 7}", "layer",
                        "between 0 and 6"),
                Arguments.of("/api/v1/advanced/cross-attention", "{\"keyText\": \" \"}",
                        "keyText", "must not be empty"),
                Arguments.of("/api/v1/advanced/tiled-replay", "{\"queryLength\": 64}",
                        "queryLength", "at most 32"),
                Arguments.of("/api/v1/advanced/tiled-replay",
                        "{\"queryLength\": 32, \"blockSize\": 1}",
                        "blockSize", "at most 256 tiles"),
                Arguments.of("/api/v1/advanced/tiled-replay", "{\"implementation\": \"loops\"}",
                        "implementation", "tiled implementation only"),
                Arguments.of("/api/v1/advanced/tiled-replay", "{\"modelDim\": 10, \"heads\": 3}",
                        "heads", "heads must divide modelDim"),
                Arguments.of("/api/v1/advanced/tiled-replay", "{\"modelDim\": 128}",
                        "modelDim", "at most 64"),
                Arguments.of("/api/v1/advanced/kv-cache", "{\"causal\": \"none\"}",
                        "causal", "causal from the first token"),
                Arguments.of("/api/v1/advanced/kv-cache", "{\"keyText\": \"a b\"}",
                        "keyText", "does not apply"),
                Arguments.of("/api/v1/advanced/kv-cache", "{\"batch\": 2}", "batch", "at most 1"),
                Arguments.of("/api/v1/advanced/kv-cache", "{\"queryLength\": 65}",
                        "queryLength", "at most 64"),
                Arguments.of("/api/v1/advanced/kv-cache", "{\"dropout\": 0.5}", "dropout",
                        "must be 0"),
                Arguments.of("/api/v1/advanced/checkpointing", "{\"layers\": 0}", "layers",
                        "between 1 and 24"),
                Arguments.of("/api/v1/advanced/checkpointing", "{\"length\": 1000}", "length",
                        "between 1 and 256"),
                Arguments.of("/api/v1/advanced/checkpointing", "{\"modelDim\": 10, \"heads\": 4}",
                        "heads", "heads must divide modelDim (modelDim=10, heads=4)"),
                Arguments.of("/api/v1/advanced/checkpointing", "{\"layers\": 4, \"segment\": 5}",
                        "segment", "between 0 and 4"),
                Arguments.of("/api/v1/advanced/checkpointing", "{\"layers\": \"six\"}", "layers",
                        "must be an integer"),
                Arguments.of("/api/v1/jobs/length-sweep", "{\"minLength\": 100}", "minLength",
                        "power of two"),
                Arguments.of("/api/v1/jobs/length-sweep", "{\"maxLength\": 20000}", "maxLength",
                        "between minLength and 16384"),
                Arguments.of("/api/v1/jobs/length-sweep", "{\"modelDim\": 4}", "modelDim",
                        "between 8 and 256"),
                Arguments.of("/api/v1/jobs/length-sweep", "{\"modelDim\": 64, \"heads\": 7}",
                        "heads",
                        "heads must divide modelDim"),
                Arguments.of("/api/v1/jobs/length-sweep", "{\"length\": 7}", "length",
                        "unknown field"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badBodies")
    void badInputAnswers400NamingTheField(String path, String body, String field, String message) {
        given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(400)
                .body("field", is(field))
                .body("error", containsString(message));
    }
}
