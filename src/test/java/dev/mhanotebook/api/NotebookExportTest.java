package dev.mhanotebook.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The exported notebook, run by Debian's {@code /usr/bin/python3} with {@code python3-numpy},
 * reproduces the API's output and attention weights within 1e-5. Requests cover the defaults on a
 * sentence; grouped-query heads with a causal mask, key padding and training dropout; explicit
 * tensors and weights in cross-attention with bottom-right alignment; and the tiled path.
 */
@QuarkusTest
class NotebookExportTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TOLERANCE = 1e-5;

    @Test
    void sentenceWithDefaultsIsReproduced() throws Exception {
        reproduces("{\"text\":\"The cat sat on the mat\",\"modelDim\":16,\"heads\":2,\"seed\":42}");
    }

    @Test
    void groupedQueryCausalPaddingAndDropoutAreReproduced() throws Exception {
        reproduces("{\"batch\":2,\"queryLength\":5,\"modelDim\":12,\"heads\":4,\"kvHeads\":2,"
                + "\"causal\":\"top-left\",\"keyPadding\":[[false,false,false,false,true],"
                + "[false,false,false,false,false]],\"dropout\":0.3,\"training\":true,\"seed\":7}");
    }

    @Test
    void explicitTensorsInCrossAttentionAreReproduced() throws Exception {
        reproduces("{\"query\":[[[1,0,0,0.5],[0,1,0,-1]]],"
                + "\"key\":[[[0.2,0.1,0,1],[1,1,1,1],[0,-1,0.5,0]]],"
                + "\"value\":[[[1,2,3,4],[0,0,1,0],[-1,0.5,0,2]]],\"heads\":2,"
                + "\"causal\":\"bottom-right\",\"scale\":0.8,"
                + "\"weights\":{\"bo\":[0.1,0.2,0.3,0.4],\"bq\":[1,0,0,-1]}}");
    }

    @Test
    void tiledPathWithHeadDimIsReproduced() throws Exception {
        reproduces("{\"text\":\"Attention lets every word look at every other word .\","
                + "\"modelDim\":10,\"heads\":3,\"headDim\":4,\"implementation\":\"tiled\","
                + "\"blockSize\":4,\"seed\":3}");
    }

    @Test
    void notebookIsAnAttachmentInNbformat45() throws Exception {
        String body = given().contentType(ContentType.JSON).body("{}")
                .post("/api/v1/export/notebook").then().statusCode(200)
                .contentType(containsString("application/x-ipynb+json"))
                .header("Content-Disposition", containsString("mha-notebook.ipynb"))
                .extract().asString();
        JsonNode notebook = JSON.readTree(body);
        assertEquals(4, notebook.get("nbformat").asInt());
        assertEquals(5, notebook.get("nbformat_minor").asInt());
        assertEquals("python3", notebook.at("/metadata/kernelspec/name").asText());
        for (JsonNode cell : notebook.get("cells")) {
            assertTrue(cell.get("id").asText().matches("[a-zA-Z0-9_-]+"), cell.toString());
        }
    }

    @Test
    void tooLargeANotebookIsRefusedNamingTheLimit() {
        given().contentType(ContentType.JSON)
                .body("{\"queryLength\":2000,\"modelDim\":256,\"heads\":4}")
                .post("/api/v1/export/notebook").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("queryLength"))
                .body("error", containsString("more than the 200,000 an export carries"));
    }

    @Test
    void badInputIsRefusedLikeTheAttentionEndpoint() {
        given().contentType(ContentType.JSON).body("{\"modelDim\":10,\"heads\":3}")
                .post("/api/v1/export/notebook").then().statusCode(400)
                .body("field", org.hamcrest.Matchers.equalTo("heads"))
                .body("error", containsString("heads must divide modelDim"));
    }

    private static void reproduces(String request) throws Exception {
        JsonNode api = JSON.readTree(given().contentType(ContentType.JSON).body(request)
                .post("/api/v1/attention").then().statusCode(200).extract().asString());
        JsonNode notebook = JSON.readTree(given().contentType(ContentType.JSON).body(request)
                .post("/api/v1/export/notebook").then().statusCode(200).extract().asString());

        StringBuilder script = new StringBuilder();
        for (JsonNode cell : notebook.get("cells")) {
            if ("code".equals(cell.get("cell_type").asText())) {
                cell.get("source").forEach(line -> script.append(line.asText()));
                script.append("\n\n");
            }
        }
        script.append("import json\nprint('RESULT' + json.dumps({'output': Y.tolist(), "
                + "'attention': attention.tolist()}))\n");
        JsonNode python = runPython(script.toString());

        assertClose(api.get("output"), python.get("output"), "output");
        assertClose(api.get("attention"), python.get("attention"), "attention");
    }

    private static JsonNode runPython(String script) throws IOException, InterruptedException {
        Path file = Files.createTempFile("mha-notebook-", ".py");
        try {
            Files.writeString(file, script, StandardCharsets.UTF_8);
            Process process = new ProcessBuilder("/usr/bin/python3", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(60, TimeUnit.SECONDS), "python3 finished in time");
            assertEquals(0, process.exitValue(), "the notebook's code ran and its checks passed:\n"
                    + out);
            assertTrue(out.contains("output matches"), out);
            String line = out.lines().filter(l -> l.startsWith("RESULT")).findFirst().orElseThrow();
            return JSON.readTree(line.substring("RESULT".length()));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static void assertClose(JsonNode expected, JsonNode actual, String path) {
        if (expected.isArray()) {
            assertEquals(expected.size(), actual.size(), "length of " + path);
            for (int i = 0; i < expected.size(); i++) {
                assertClose(expected.get(i), actual.get(i), path + "[" + i + "]");
            }
            return;
        }
        double e = expected.asDouble();
        double a = actual.asDouble();
        assertTrue(Math.abs(e - a) <= TOLERANCE, path + ": API " + e + ", NumPy " + a);
    }
}
