package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input to the variants endpoints answers 400 naming the field and the rule. */
@QuarkusTest
class VariantsBadInputTest {

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("grouped-query", "{\"heads\": 4, \"kvHeads\": 3}", "kvHeads",
                        "kvHeads must divide heads (heads=4, kvHeads=3)"),
                Arguments.of("grouped-query", "{\"heads\": 4, \"kvHeads\": 8}", "kvHeads",
                        "between 1 and 4"),
                Arguments.of("grouped-query", "{\"heads\": 3}", "heads", "heads must divide"),
                Arguments.of("grouped-query", "{\"kvHeads\": \"one\"}", "kvHeads",
                        "must be an integer"),
                Arguments.of("grouped-query", "{\"group\": 2}", "group", "unknown field"),
                Arguments.of("kv-cache", "{\"layers\": 0}", "layers", "between 1 and 1024"),
                Arguments.of("kv-cache", "{\"heads\": 32, \"kvHeads\": 5}", "kvHeads",
                        "kvHeads must divide heads (heads=32, kvHeads=5)"),
                Arguments.of("kv-cache", "{\"bytesPerNumber\": 3}", "bytesPerNumber",
                        "must be 1, 2, 4 or 8 (bytesPerNumber=3)"),
                Arguments.of("kv-cache", "{\"sequenceLength\": 0}", "sequenceLength",
                        "between 1 and 100000000"),
                Arguments.of("kv-cache", "{\"layers\": 1024, \"heads\": 1024, \"kvHeads\": 1024,"
                        + " \"headDim\": 4096, \"sequenceLength\": 100000000, \"batch\": 65536,"
                        + " \"bytesPerNumber\": 8}", "sequenceLength", "2^63 bytes"),
                Arguments.of("sparse", "{\"queryLength\": 8, \"window\": 9}", "window",
                        "between 0 and 8 (window=9)"),
                Arguments.of("sparse", "{\"queryLength\": 8, \"dilation\": 0}", "dilation",
                        "between 1 and 8"),
                Arguments.of("sparse", "{\"queryLength\": 8, \"globalTokens\": [8]}",
                        "globalTokens", "globalTokens[0] must be between 0 and 7"),
                Arguments.of("sparse", "{\"queryLength\": 8, \"globalTokens\": []}",
                        "globalTokens", "must not be empty"),
                Arguments.of("sparse", "{\"queryLength\": 8, \"blockSize\": 0}", "blockSize",
                        "between 1 and 8"),
                Arguments.of("sparse", "{\"queryLength\": 8, \"randomBlocks\": 5, "
                        + "\"blockSize\": 4}", "randomBlocks", "between 0 and 2"),
                Arguments.of("sparse", "{\"causal\": \"bottom-right\"}", "causal",
                        "none or top-left"),
                Arguments.of("sparse", "{\"queryBlock\": 8}", "queryBlock", "unknown field"),
                Arguments.of("sparse", "{\"queryLength\": 16384, \"modelDim\": 64, "
                        + "\"heads\": 8}", "queryLength", "past its budget"),
                Arguments.of("sparse/window-sweep", "{\"queryLength\": 16, \"windows\": [17]}",
                        "windows", "windows[0] must be between 0 and 16"),
                Arguments.of("sparse/window-sweep", "{\"windows\": []}", "windows",
                        "must not be empty"),
                Arguments.of("sparse/window-sweep", "{\"repeats\": 6}", "repeats",
                        "between 1 and 5"),
                Arguments.of("sparse/window-sweep", "{\"queryLength\": 2048, \"modelDim\": 256,"
                        + " \"heads\": 4, \"windows\": [1, 2, 3, 4, 5, 6, 7, 8], \"repeats\": 5}",
                        "windows", "past its budget of 200.0 billion"),
                Arguments.of("linear", "{\"featureMap\": \"relu\"}", "featureMap",
                        "elu or favor (featureMap=\"relu\")"),
                Arguments.of("linear", "{\"features\": 0}", "features", "between 1 and 4096"),
                Arguments.of("linear", "{\"featureMap\": \"elu\", \"features\": 8}", "features",
                        "favor only"),
                Arguments.of("linear", "{\"causal\": \"bottom-right\"}", "causal",
                        "none or top-left"),
                Arguments.of("linear", "{\"queryLength\": 4000, \"heads\": 2, \"modelDim\": 32,"
                        + " \"features\": 4096}", "features", "the feature maps would need"),
                Arguments.of("linear/feature-sweep", "{\"features\": [1, 5000]}", "features",
                        "features[1] must be between 1 and 4096"),
                Arguments.of("linear/feature-sweep", "{\"draws\": 9}", "draws", "between 1 and 8"),
                Arguments.of("linear/length-sweep", "{\"lengths\": [0]}", "lengths",
                        "lengths[0] must be between 1 and 16384"),
                Arguments.of("linear/length-sweep", "{\"lengths\": [1,2,3,4,5,6,7,8,9,10,11,12,"
                        + "13,14,15,16,17]}", "lengths", "at most 16 values"),
                Arguments.of("linear/length-sweep", "{\"lengths\": [8192], \"heads\": 2}",
                        "queryLength", "past its budget"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badInputNamesTheFieldAndTheRule(String path, String body, String field, String rule) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/variants/" + path)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("field", is(field))
                .body("error", containsString(rule));
    }

    @ParameterizedTest
    @MethodSource("paths")
    void missingBodyIsRefused(String path) {
        given().contentType(ContentType.JSON).when().post("/api/v1/variants/" + path)
                .then().statusCode(400).body("error", containsString("body"));
    }

    static Stream<String> paths() {
        return Stream.of("grouped-query", "kv-cache", "sparse", "sparse/window-sweep", "linear",
                "linear/feature-sweep", "linear/length-sweep");
    }
}
