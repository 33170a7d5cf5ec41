package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The variants endpoints answer their documented contracts. */
@QuarkusTest
class VariantsApiTest {

    static JsonPath post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when()
                .post("/api/v1/variants/" + path).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void groupedQueryMapsHeadsToTheirGroupAndShrinksKeysAndValues() {
        JsonPath r = post("grouped-query", "{\"text\": \"the cat sat on the mat\", \"heads\": 4,"
                + " \"kvHeads\": 2, \"modelDim\": 16}");
        assertEquals(List.of(0, 0, 1, 1), r.getList("mapping"));
        assertEquals(2, r.getInt("groupSize"));
        assertEquals(List.of(1, 6, 8), r.getList("shapes.k"));
        assertEquals(List.of(1, 6, 16), r.getList("multiHeadShapes.k"));
        assertEquals(List.of(1, 6, 16), r.getList("shapes.q"));
        assertEquals(List.of(2 * 17 * 8, 2 * 17 * 16), r.getList("kvParameters"));
        assertEquals(4, r.getList("attention").size());
        assertTrue(r.getDouble("relativeDifference") > 0);
    }

    @Test
    void groupedQueryWithEveryHeadIsMultiHead() {
        JsonPath r = post("grouped-query", "{\"heads\": 4, \"kvHeads\": 4}");
        assertEquals(0, r.getDouble("relativeDifference"), 1e-7);
    }

    @Test
    void kvCacheOfTheDefaults() {
        JsonPath r = post("kv-cache", "{}");
        // 2 · 32 layers · 8 kv heads · 128 · 4096 positions · 1 · 2 bytes = 512 MiB.
        assertEquals(536_870_912L, r.getLong("groupedBytes"));
        assertEquals(2_147_483_648L, r.getLong("multiHeadBytes"));
        assertEquals(67_108_864L, r.getLong("multiQueryBytes"));
        assertEquals(4.0, r.getDouble("savingFactor"));
        assertEquals("512.0 MiB", r.getString("grouped"));
    }

    @Test
    void sparseEqualsMaskedDenseAndShowsTheMask() {
        JsonPath r = post("sparse", "{\"queryLength\": 8, \"window\": 1, \"globalTokens\": [0]}");
        List<String> mask = r.getList("mask");
        assertEquals("xxxxxxxx", mask.get(0));
        assertEquals("xxx.....", mask.get(1));
        assertEquals("x.....xx", mask.get(7));
        // Window: 3·8 − 2 = 22; global row 0 adds its 6 keys past the window, column 0 the 6
        // rows below row 1.
        assertEquals(22 + 6 + 6, r.getLong("allowedPairs"));
        assertEquals(64, r.getLong("densePairs"));
        assertTrue(r.getDouble("differenceFromMaskedDense") < 1e-5);
        assertTrue(r.getDouble("relativeDifferenceFromDense") > 0);
        assertEquals(2, r.getList("patterns").size());
        assertEquals(2, r.getList("attention").size());
    }

    @Test
    void everyPatternTogetherWithCausal() {
        JsonPath r = post("sparse", "{\"queryLength\": 24, \"window\": 1, \"dilatedWindow\": 2,"
                + " \"dilation\": 3, \"globalTokens\": [0, 5], \"randomBlocks\": 1,"
                + " \"blockSize\": 4, \"causal\": \"top-left\"}");
        assertTrue(r.getDouble("differenceFromMaskedDense") < 1e-5);
        assertEquals(4, r.getList("patterns").size());
        assertEquals('.', r.getList("mask", String.class).get(0).charAt(1), "causal");
    }

    @Test
    void windowSweepReachesDenseWhenTheWindowCoversEverything() {
        JsonPath r = post("sparse/window-sweep", "{\"queryLength\": 32, \"modelDim\": 16,"
                + " \"heads\": 2, \"windows\": [1, 4, 31]}");
        List<Float> diffs = r.getList("points.relativeDifferenceFromDense", Float.class);
        assertEquals(3, diffs.size());
        assertTrue(diffs.get(0) > diffs.get(1), "error shrinks as the window grows: " + diffs);
        assertEquals(0, diffs.get(2), 1e-5);
    }

    @Test
    void linearEluAndFavor() {
        JsonPath elu = post("linear", "{\"text\": \"a b c d\", \"featureMap\": \"elu\"}");
        assertEquals(8, elu.getInt("features"));
        assertEquals(2, elu.getList("attention").size());
        JsonPath favor = post("linear", "{\"featureMap\": \"favor\", \"features\": 128,"
                + " \"causal\": \"top-left\"}");
        assertEquals(128, favor.getInt("features"));
        assertTrue(favor.getDouble("relativeError") < 1);
        assertEquals(0f, favor.getFloat("attention[0][0][3]"), "causal: no weight on the future");
    }

    @Test
    void featureSweepErrorFallsWithMoreFeatures() {
        JsonPath r = post("linear/feature-sweep", "{\"queryLength\": 16, \"modelDim\": 16,"
                + " \"heads\": 2, \"features\": [8, 2048], \"draws\": 3}");
        List<Float> errors = r.getList("points.meanRelativeError", Float.class);
        assertTrue(errors.get(1) < errors.get(0), errors.toString());
        assertNotNull(r.get("eluRelativeError"));
    }

    @Test
    void lengthSweepTimesBothPaths() {
        JsonPath r = post("linear/length-sweep", "{\"lengths\": [16, 32], \"modelDim\": 16,"
                + " \"repeats\": 1}");
        assertEquals(2, r.getList("points").size());
        assertTrue(r.getDouble("points[1].softmaxMs") > 0);
        assertTrue(r.getDouble("points[1].linearMs") > 0);
        r.get("crossover");
    }

    @Test
    void largeSparseLayersSendNoMask() {
        JsonPath r = post("sparse", "{\"queryLength\": 200, \"window\": 3}");
        assertNull(r.get("mask"));
        assertNull(r.get("attention"));
    }

    @Test
    void sweepsTakeTheirLengthFromText() {
        JsonPath r = post("linear/feature-sweep", "{\"text\": \"one two three four five\","
                + " \"features\": [4], \"draws\": 1}");
        assertEquals(5, r.getInt("queryLength"));
        assertEquals(5, post("sparse/window-sweep", "{\"text\": \"one two three four five\","
                + " \"windows\": [1], \"modelDim\": 16}").getInt("queryLength"));
    }
}
