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

/** Every bad input to the model endpoints answers 400 naming the field and the rule. */
@QuarkusTest
class ModelBadInputTest {
    static final String OK = "\"text\": \"A sentence.\"";

    static Stream<Arguments> badBodies() {
        return Stream.of(
                Arguments.of("attention", "{\"text\": \"\"}", "text", "must not be empty"),
                Arguments.of("attention", "{\"text\": \"   \"}", "text", "must not be empty"),
                Arguments.of("attention", "{}", "text", "text is required"),
                Arguments.of("attention", "{\"text\": \"" + "a".repeat(4001) + "\"}", "text",
                        "at most 4,000 characters"),
                Arguments.of("attention", "{" + OK + ", \"prune\": [[6, 0]]}", "prune",
                        "prune[0] must be [layer, head] with layer in 0…5"),
                Arguments.of("attention", "{" + OK + ", \"prune\": [[0, 0], [0, 12]]}", "prune",
                        "prune[1] must be [layer, head]"),
                Arguments.of("attention", "{" + OK + ", \"prune\": [[-1, 3]]}", "prune",
                        "(got [-1, 3])"),
                Arguments.of("attention", "{" + OK + ", \"prune\": [[1]]}", "prune",
                        "(got [1])"),
                Arguments.of("attention", "{" + OK + ", \"prune\": [[1, 2, 3]]}", "prune",
                        "(got [1, 2, 3])"),
                Arguments.of("attention", "{" + OK + ", \"prune\": [null]}", "prune",
                        "(got null)"),
                Arguments.of("attention", "{" + OK + ", \"layer\": 6}", "layer",
                        "layer must be in 0…5 (got 6)"),
                Arguments.of("attention", "{" + OK + ", \"layer\": 0, \"head\": 12}", "head",
                        "head must be in 0…11 (got 12)"),
                Arguments.of("attention", "{" + OK + ", \"head\": 3}", "head", "head needs layer"),
                Arguments.of("attention", "{\"text\": 5}", "text", "must be a string"),
                Arguments.of("head-importance", "{\"text\": \"\"}", "text", "must not be empty"),
                Arguments.of("head-importance", "{}", "text", "text is required"),
                Arguments.of("similarity", "{\"text\": \"\", \"otherText\": \"b\"}", "text",
                        "must not be empty"),
                Arguments.of("similarity", "{" + OK + "}", "otherText", "otherText is required"),
                Arguments.of("similarity", "{" + OK + ", \"otherText\": \" \"}", "otherText",
                        "must not be empty"),
                Arguments.of("similarity",
                        "{" + OK + ", \"otherText\": \"b\", \"prune\": [[9, 9]]}", "prune",
                        "prune[0] must be [layer, head]"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("badBodies")
    void badInputNamesTheFieldAndTheRule(String path, String body, String field, String rule) {
        given().contentType(ContentType.JSON).body(body).when().post("/api/v1/model/" + path)
                .then().statusCode(400).contentType(ContentType.JSON)
                .body("field", is(field))
                .body("error", containsString(rule));
    }
}
