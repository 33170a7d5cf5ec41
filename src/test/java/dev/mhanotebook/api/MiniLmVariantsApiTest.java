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
import org.junit.jupiter.api.Test;

/** The variants on MiniLM: grouped-query conversion and mass inside sparse patterns. */
@QuarkusTest
class MiniLmVariantsApiTest {

    static JsonPath post(String path, String body) {
        return given().contentType(ContentType.JSON).body(body).when()
                .post("/api/v1/variants/minilm/" + path).then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void groupedQueryMovesTheEmbeddingAndTwelveHeadsDoNot() {
        JsonPath r = post("grouped-query", "{\"texts\": [\"The cat sat on the mat.\"],"
                + " \"kvHeads\": [2, 12]}");
        List<Float> cos = r.getList("meanCosine", Float.class);
        assertEquals(1, cos.get(1), 1e-5, "12 key/value heads is the original");
        assertTrue(cos.get(0) < 0.999, cos.toString());
    }

    @Test
    void sparseMassIsAtMostOneAndTheUnionHoldsTheMost() {
        JsonPath r = post("sparse-mass", "{\"text\": \"The cat sat on the mat.\"}");
        assertEquals(4, r.getList("patterns").size());
        List<Float> union = r.getList("combined.layerMean", Float.class);
        List<Float> window = r.getList("patterns[0].layerMean", Float.class);
        for (int l = 0; l < 6; l++) {
            assertTrue(union.get(l) <= 1.0001 && union.get(l) >= window.get(l) - 1e-6);
        }
    }

    @Test
    void badInputNamesTheField() {
        given().contentType(ContentType.JSON).body("{\"kvHeads\": [5]}")
                .post("/api/v1/variants/minilm/grouped-query").then().statusCode(400)
                .body("field", is("kvHeads"))
                .body("error", containsString("must divide the model's 12 heads"));
        given().contentType(ContentType.JSON).body("{\"texts\": []}")
                .post("/api/v1/variants/minilm/grouped-query").then().statusCode(400)
                .body("field", is("texts"));
        given().contentType(ContentType.JSON).body("{\"texts\": [\" \"]}")
                .post("/api/v1/variants/minilm/grouped-query").then().statusCode(400)
                .body("field", is("texts[0]"));
        given().contentType(ContentType.JSON).body("{\"text\": \"a b\", \"window\": 99}")
                .post("/api/v1/variants/minilm/sparse-mass").then().statusCode(400)
                .body("field", is("window")).body("error", containsString("between 0 and"));
        given().contentType(ContentType.JSON).body("{\"globalTokens\": [-1]}")
                .post("/api/v1/variants/minilm/sparse-mass").then().statusCode(400)
                .body("field", is("globalTokens"));
    }
}
