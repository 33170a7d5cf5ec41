package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With mha.jobs.enabled=false a class's server refuses long jobs with 503 and says why. */
@QuarkusTest
@TestProfile(JobsDisabledTest.JobsOff.class)
class JobsDisabledTest {

    public static class JobsOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mha.jobs.enabled", "false");
        }
    }

    @Test
    void switchedOffJobsAnswer503() {
        given().contentType(ContentType.JSON).body("{}").post("/api/v1/jobs/length-sweep").then()
                .statusCode(503)
                .body("error", containsString("mha.jobs.enabled=false"));
    }
}
