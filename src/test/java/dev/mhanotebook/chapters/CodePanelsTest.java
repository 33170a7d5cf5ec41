package dev.mhanotebook.chapters;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The chapter "Components" renders a closed panel "The code" under each step, with the Java
 * lines the engine was compiled from and the PyTorch lines of content/code, each captioned with
 * its file and real line numbers and linked to the whole file at /source/.
 */
@QuarkusTest
class CodePanelsTest {
    private static final Pattern PANEL = Pattern.compile(
            "(?s)<details class=\"code-panel\" id=\"code-([a-z-]+)\".*?</details>");
    private static final Pattern PIECE = Pattern.compile("(?s)<figure class=\"code-piece\""
            + " data-testid=\"code-piece\" data-file=\"([^\"]+)\" data-region=\"([^\"]+)\""
            + " data-first-line=\"(\\d+)\" data-last-line=\"(\\d+)\">\\n<figcaption><a href=\""
            + "([^\"]+)\">([^<]+)</a></figcaption>.*?"
            + "<pre class=\"code-gutter\" aria-hidden=\"true\">"
            + "([\\d\\n]+)</pre><pre class=\"code-text\"><code class=\"language-(java|python)\""
            + " data-testid=\"code-text\">(.*?)</code></pre>");

    @Test
    void everyStepHasAPanelWithTheRealJavaAndPyTorchLines() throws IOException {
        String html = given().get("/chapters/components").then().statusCode(200).extract()
                .asString();
        List<String> ids = new ArrayList<>();
        int pieces = 0;
        Matcher panel = PANEL.matcher(html);
        while (panel.find()) {
            ids.add(panel.group(1));
            String body = panel.group();
            assertTrue(body.contains("<summary><span class=\"code-panel-title\">The code</span>"),
                    panel.group(1));
            assertTrue(body.contains("data-testid=\"code-java\"")
                    && body.contains("data-testid=\"code-python\""), panel.group(1));
            Matcher piece = PIECE.matcher(body);
            int java = 0;
            int python = 0;
            while (piece.find()) {
                String file = piece.group(1);
                int first = Integer.parseInt(piece.group(3));
                int last = Integer.parseInt(piece.group(4));
                boolean isJava = file.endsWith(".java");
                assertEquals(isJava ? "java" : "python", piece.group(8), file);
                Path real = isJava ? Path.of("src/main/java/dev/mhanotebook/engine", file)
                        : Path.of("content/code", file);
                List<String> lines = Files.readString(real, StandardCharsets.UTF_8).lines()
                        .toList().subList(first - 1, last);
                assertTrue(lines.get(0).isBlank() || !lines.get(0).strip().startsWith("// step:"),
                        "no marker shown");
                assertEquals(file + (first == last ? ", line " + first
                        : ", lines " + first + "–" + last), piece.group(6));
                assertEquals("/source/" + file + "#L" + first, piece.group(5));
                List<String> numbers = new ArrayList<>();
                for (int n = first; n <= last; n++) {
                    numbers.add(Integer.toString(n));
                }
                assertEquals(String.join("\n", numbers), piece.group(7), "line numbers of " + file);
                String shown = unescape(piece.group(9));
                int indent = lines.stream().filter(l -> !l.isBlank())
                        .mapToInt(l -> l.length() - l.stripLeading().length()).min().orElse(0);
                List<String> expected = lines.stream()
                        .map(l -> l.isBlank() ? "" : l.substring(indent)).toList();
                assertEquals(String.join("\n", expected), shown,
                        file + " lines " + first + "–" + last + " as shown");
                if (isJava) {
                    java++;
                } else {
                    python++;
                }
                pieces++;
            }
            assertTrue(java > 0 && python > 0, panel.group(1) + ": Java and PyTorch");
        }
        assertEquals(List.of("project", "split", "masks", "softmax", "concat", "output"), ids);
        assertTrue(pieces >= 17, pieces + " pieces");
        assertTrue(html.contains("Nd4j.matmul(qh, kh, false, true, false)"), "the scores line");
        assertTrue(html.contains("masked_fill(blocked, float(&quot;-inf&quot;))"),
                "the PyTorch mask line");
    }

    @Test
    void theSourcePageShowsTheWholeFileWithLineAnchors() throws IOException {
        List<String> lines = Files.readString(
                Path.of("src/main/java/dev/mhanotebook/engine/VectorizedAttention.java"),
                StandardCharsets.UTF_8).lines().toList();
        String html = given().get("/source/VectorizedAttention.java").then().statusCode(200)
                .extract().asString();
        assertTrue(html.contains("<h1>VectorizedAttention.java</h1>"));
        assertTrue(html.contains("<span id=\"L" + lines.size() + "\">" + lines.size()
                + "</span></pre>"), "one anchor per line");
        String scoresLine = lines.stream().filter(l -> l.contains("INDArray scores ="))
                .findFirst().orElseThrow().strip();
        assertTrue(unescape(html).contains(scoresLine), "the page quotes " + scoresLine);
        assertTrue(html.contains("<a href=\"#L"), "the marked steps are listed");
        given().get("/source/components.py").then().statusCode(200);
        String missing = given().get("/source/Nope.java").then().statusCode(404).extract()
                .asString();
        assertTrue(missing.contains("No source file called “Nope.java”"), missing);
        assertTrue(missing.contains("href=\"/source/VectorizedAttention.java\""));
        given().get("/source/..%2F..%2Fpom.xml").then().statusCode(404);
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&amp;", "&");
    }
}
