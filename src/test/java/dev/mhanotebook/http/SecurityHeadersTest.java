package dev.mhanotebook.http;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

/** Every response carries the security headers and the client token, errors included. */
@QuarkusTest
class SecurityHeadersTest {

    static void hasSecurityHeaders(ValidatableResponse r) {
        r.header("Content-Security-Policy", equalTo(SecurityHeaders.CSP))
                .header("Content-Security-Policy", containsString("script-src 'self';"))
                .header("Content-Security-Policy", containsString("frame-ancestors 'none'"))
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer");
    }

    @Test
    void apiAnswerCarriesHeadersAndSetsTheClientToken() {
        ValidatableResponse r = given().contentType(ContentType.JSON).body("{}")
                .post("/api/v1/attention").then().statusCode(200)
                .cookie("mha_client", notNullValue());
        hasSecurityHeaders(r);
    }

    @Test
    void badInputNotFoundAndHealthCarryHeaders() {
        hasSecurityHeaders(given().contentType(ContentType.JSON).body("{\"heads\": 0}")
                .post("/api/v1/attention").then().statusCode(400));
        hasSecurityHeaders(given().get("/no/such/page").then().statusCode(404));
        hasSecurityHeaders(given().get("/q/health/ready").then().statusCode(200));
    }

    @Test
    void aValidTokenIsKeptNotReplaced() {
        String token = given().contentType(ContentType.JSON).body("{}").post("/api/v1/attention")
                .then().extract().cookie("mha_client");
        given().cookie("mha_client", token).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/attention").then().statusCode(200)
                .header("Set-Cookie", org.hamcrest.Matchers.nullValue());
    }

    @Test
    void bodyPastTheLimitIs413WithJson() {
        String big = "{\"text\": \"" + "a ".repeat(1_500_000) + "\"}";
        hasSecurityHeaders(given().contentType(ContentType.JSON).body(big)
                .post("/api/v1/attention").then().statusCode(413)
                .contentType(ContentType.JSON).body("error", containsString("too large")));
    }

    @Test
    void metricsShowComputeTimeQueueAndRejections() {
        given().contentType(ContentType.JSON).body("{\"implementation\": \"loops\"}")
                .post("/api/v1/attention").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("mha_compute_time_seconds_count{kind=\"loops\""))
                .body(containsString("mha_compute_queue_depth"))
                .body(containsString("mha_javacpp_physical_bytes"))
                .body(containsString("http_server_requests_seconds_count"));
    }
}
