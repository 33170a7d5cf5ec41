package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Long jobs: queued, followed through server-sent events, cancelled. */
@QuarkusTest
class JobsApiTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonPath submit(String body) {
        return given().contentType(ContentType.JSON).body(body).post("/api/v1/jobs/length-sweep")
                .then().statusCode(202).extract().jsonPath();
    }

    /** Reads a finished stream: its body holds every event as {@code data:<json>}. */
    static List<JsonNode> events(String path) throws Exception {
        String body = given().accept("text/event-stream").get(path).then().statusCode(200)
                .extract().asString();
        List<JsonNode> events = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.startsWith("data:")) {
                events.add(JSON.readTree(line.substring(5)));
            }
        }
        return events;
    }

    @Test
    void sweepReportsProgressAndAPointPerLengthThenDone() throws Exception {
        JsonPath job = submit("{\"modelDim\": 16, \"heads\": 2, \"minLength\": 64, "
                + "\"maxLength\": 256}");
        assertEquals(6, job.getList("plan").size());
        List<JsonNode> events = events(job.getString("events"));
        assertEquals("queued", events.get(0).get("type").asText());
        JsonNode last = events.get(events.size() - 1);
        assertEquals("done", last.get("type").asText(), events.toString());
        long points = events.stream().filter(e -> e.get("type").asText().equals("point")).count();
        assertEquals(6, points);
        assertTrue(events.stream().anyMatch(e -> e.get("type").asText().equals("progress")));
        JsonNode tiled = last.get("data").get("points").get(5);
        assertEquals("TILED", tiled.get("implementation").asText());
        assertEquals(256, tiled.get("length").asInt());
        assertTrue(tiled.get("measuredPeakBytes").asLong()
                <= tiled.get("estimatedPeakBytes").asLong());
    }

    @Test
    void vectorizedLengthsPastTheBudgetArePlannedAsRefused() {
        JsonPath job = submit("{\"minLength\": 4096, \"maxLength\": 4096}");
        assertEquals(false, job.getBoolean("plan[0].runs"));
        assertTrue(job.getString("plan[0].reason").contains("past the budget"));
        assertEquals(true, job.getBoolean("plan[1].runs"));
        given().delete("/api/v1/jobs/" + job.getString("id")).then().statusCode(202);
    }

    @Test
    void deleteCancelsAndTheStreamEndsWithACancelledEvent() throws Exception {
        JsonPath job = submit("{\"minLength\": 1024, \"maxLength\": 16384}");
        given().delete("/api/v1/jobs/" + job.getString("id")).then().statusCode(202);
        List<JsonNode> events = events(job.getString("events"));
        JsonNode last = events.get(events.size() - 1);
        assertEquals("cancelled", last.get("type").asText(), events.toString());
        assertTrue(last.get("message").asText().contains("cancelled by the reader"));
    }

    @TestHTTPResource("/")
    URI root;

    @Test
    void closingThePageCancelsTheJob() throws Exception {
        JsonPath job = submit("{\"minLength\": 1024, \"maxLength\": 16384}");
        URI stream = root.resolve(job.getString("events"));
        // A plain socket, closed as a browser tab closes its connection: an HTTP client library
        // may keep the connection open after its body stream is closed, and the job then runs on.
        try (Socket socket = new Socket(stream.getHost(), stream.getPort())) {
            socket.getOutputStream().write(("GET " + stream.getRawPath() + " HTTP/1.1\r\nHost: "
                    + stream.getHost() + "\r\nAccept: text/event-stream\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            BufferedReader in = new BufferedReader(
                    new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            // Read until the job has started, then leave.
            for (String line = in.readLine(); line != null && !line.contains("\"started\"");
                    line = in.readLine()) {
                continue;
            }
        }
        List<JsonNode> events = events(job.getString("events"));
        JsonNode last = events.get(events.size() - 1);
        assertEquals("cancelled", last.get("type").asText(), events.toString());
        assertTrue(last.get("message").asText().contains("the page was closed"));
    }

    @Test
    void unknownJobIs404() {
        given().delete("/api/v1/jobs/nope").then().statusCode(404)
                .body("error", containsString("no such resource"));
        given().accept("text/event-stream").get("/api/v1/jobs/nope/events").then().statusCode(404);
    }
}
