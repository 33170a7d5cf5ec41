package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bad input answers 400 with JSON naming the field and the rule, never a 500. */
@QuarkusTest
class AttentionBadInputTest {

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("{\"modelDim\": 10, \"heads\": 3}", "heads", "heads must divide modelDim"),
                Arguments.of("{\"heads\": 0}", "heads", "between 1 and 64"),
                Arguments.of("{\"modelDim\": -4}", "modelDim", "between 1 and 1024"),
                Arguments.of("{\"queryLength\": 0}", "queryLength", "between 1 and"),
                Arguments.of("{\"batch\": 0}", "batch", "between 1 and 8"),
                Arguments.of("{\"headDim\": 0}", "headDim", "between 1 and"),
                Arguments.of("{\"modelDim\": 100000}", "modelDim", "between 1 and 1024"),
                Arguments.of("{\"batch\": 9}", "batch", "between 1 and 8"),
                Arguments.of("{\"queryLength\": 20000}", "queryLength", "between 1 and 16384"),
                Arguments.of("{\"heads\": 4, \"kvHeads\": 5}", "kvHeads", "between 1 and 4"),
                Arguments.of("{\"heads\": 6, \"modelDim\": 12, \"kvHeads\": 4}", "kvHeads", "kvHeads must divide heads"),
                Arguments.of("{\"tokens\": [\"a\", \"b\"], \"queryLength\": 3}", "queryLength",
                        "must equal the number of tokens"),
                Arguments.of("{\"tokens\": []}", "tokens", "must not be empty"),
                Arguments.of("{\"text\": \"   \"}", "text", "at least one word"),
                Arguments.of("{\"heads\": \"two\"}", "heads", "must be an integer"),
                Arguments.of("{\"heads\": 2.5}", "heads", "must be an integer"),
                Arguments.of("{\"training\": \"yes\"}", "training", "true or false"),
                Arguments.of("{\"causal\": \"future\"}", "causal", "none, top-left, bottom-right"),
                Arguments.of("{\"implementation\": \"magic\"}", "implementation", "vectorized, loops, tiled"),
                Arguments.of("{\"scale\": \"half\"}", "scale", "sqrt_dk"),
                Arguments.of("{\"dropout\": 1}", "dropout", "below 1"),
                Arguments.of("{\"dropout\": -0.1}", "dropout", "at least 0"),
                Arguments.of("{\"heads\": 99999999999}", "heads", "out of range for an integer"),
                Arguments.of("{\"head\": 2}", "head", "unknown field"),
                Arguments.of("{\"query\": [[[1, 2], [3]]]}", "query", "ragged"),
                Arguments.of("{\"query\": [[[1, 2], [3, \"NaN\"]]]}", "query", "query[0][1][1] must be a finite"),
                Arguments.of("{\"query\": [[[1, 2], [3, 1e999]]]}", "query", "finite"),
                Arguments.of("{\"query\": [[[1, 2]]], \"modelDim\": 4}", "modelDim",
                        "must equal the last dimension of query"),
                Arguments.of("{\"key\": [[[1, 2]]], \"value\": [[[1, 2]]]}", "key", "explicit query"),
                Arguments.of("{\"query\": [[[1, 2]]], \"key\": [[[1, 2]]]}", "value", "go together"),
                Arguments.of("{\"keyPadding\": [[true, false]]}", "keyPadding", "[B][S] = [1][6]"),
                Arguments.of("{\"blocked\": [[true]]}", "blocked", "[L][S] = [6][6]"),
                Arguments.of("{\"weights\": {\"wq\": [[1]]}}", "weights.wq", "[d_model][h·d_k] = [16][16]"),
                Arguments.of("{\"weights\": {\"bo\": [1, 2]}}", "weights.bo", "[d_model] = [16]"),
                Arguments.of("{\"queryLength\": 16384, \"modelDim\": 64, \"heads\": 8}", "queryLength",
                        "past its budget"),
                Arguments.of("{\"queryLength\": 512, \"modelDim\": 256, \"implementation\": \"loops\"}",
                        "queryLength", "FLOPs on the loops path"),
                Arguments.of("{\"blockSize\": 0}", "blockSize", "between 1 and 4096"));
    }

    @ParameterizedTest
    @MethodSource("badBodies")
    void badInputNamesTheFieldAndTheRule(String body, String field, String rule) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/attention")
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("field", is(field))
                .body("error", containsString(rule));
    }

    @Test
    void missingBodyIsRefused() {
        given().contentType(ContentType.JSON).when().post("/api/v1/attention")
                .then().statusCode(400).body("error", containsString("body"));
    }

    @Test
    void malformedJsonIsRefused() {
        given().contentType(ContentType.JSON).body("{\"heads\": ").when().post("/api/v1/attention")
                .then().statusCode(400).body("error", containsString("JSON")).body("field", nullValue());
    }

    @Test
    void nonObjectBodyIsRefused() {
        given().contentType(ContentType.JSON).body("[1, 2]").when().post("/api/v1/attention")
                .then().statusCode(400).body("error", containsString("JSON object"));
    }

    @Test
    void aThousandDigitNumberIsRefusedWhileParsing() {
        given().contentType(ContentType.JSON).body("{\"seed\": " + "9".repeat(1001) + "}")
                .when().post("/api/v1/attention").then().statusCode(400)
                .body("error", containsString("limit"));
    }

    @Test
    void wrongContentTypeIs415() {
        given().contentType(ContentType.TEXT).body("{}").when().post("/api/v1/attention")
                .then().statusCode(415).body("error", containsString("application/json"));
    }

    @Test
    void deepNestingIsRefused() {
        given().contentType(ContentType.JSON).body("{\"query\": " + "[".repeat(200) + "]".repeat(200) + "}")
                .when().post("/api/v1/attention").then().statusCode(400);
    }
}
