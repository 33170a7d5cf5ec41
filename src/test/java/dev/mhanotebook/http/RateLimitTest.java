package dev.mhanotebook.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rate limit counts per client token, answers 429 with Retry-After and JSON. */
@QuarkusTest
@TestProfile(RateLimitTest.Limited.class)
class RateLimitTest {

    public static class Limited implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mha.rate-limit.enabled", "true", "mha.rate-limit.capacity", "3",
                    "mha.rate-limit.per-minute", "1", "mha.rate-limit.anonymous-capacity", "2",
                    "mha.rate-limit.anonymous-per-minute", "1");
        }
    }

    static int post(String token) {
        var spec = given().contentType(ContentType.JSON).body("{}");
        if (token != null) {
            spec = spec.cookie("mha_client", token);
        }
        return spec.post("/api/v1/attention").statusCode();
    }

    static String newToken() {
        return given().get("/q/health/live").then().extract().cookie("mha_client");
    }

    @Test
    void eachClientHasItsOwnBucket() {
        String alice = newToken();
        String bob = newToken();
        for (int i = 0; i < 3; i++) {
            org.junit.jupiter.api.Assertions.assertEquals(200, post(alice));
        }
        given().cookie("mha_client", alice).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/attention").then().statusCode(429)
                .header("Retry-After", notNullValue()).contentType(ContentType.JSON)
                .body("error", containsString("too many requests"));
        // Bob, behind the same address, is not affected.
        org.junit.jupiter.api.Assertions.assertEquals(200, post(bob));
        // Pages are never limited.
        given().cookie("mha_client", alice).get("/q/health/ready").then().statusCode(200);
        given().get("/q/metrics").then()
                .body(containsString("reason=\"rate-limit\",status=\"429\""));
    }

    @Test
    void forgedTokensShareTheAnonymousBucket() {
        int refused = 0;
        for (int i = 0; i < 4; i++) {
            if (post("forged" + i + ".abc") == 429) {
                refused++;
            }
        }
        org.junit.jupiter.api.Assertions.assertEquals(2, refused);
    }
}
