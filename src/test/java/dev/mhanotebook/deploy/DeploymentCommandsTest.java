package dev.mhanotebook.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * No Docker engine runs where the tests run, so the image is never built here. Instead this test
 * keeps the Dockerfile to the README's own commands: the same build, the same start, the same
 * port, a health check, a non-root user.
 */
class DeploymentCommandsTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir"));

    static String read(String file) throws IOException {
        return Files.readString(ROOT.resolve(file));
    }

    static String buildLine(String script) {
        return script.lines().map(String::strip).filter(l -> l.contains("./mvnw") && l.contains("package"))
                .map(l -> l.replaceFirst("^RUN\\s+", "")).findFirst().orElseThrow();
    }

    @Test
    void dockerfileBuildsLikeTheServeCommand() throws IOException {
        assertEquals(buildLine(read("bin/serve")), buildLine(read("Dockerfile")));
    }

    @Test
    void dockerfileStartsLikeTheServeCommand() throws IOException {
        String serve = read("bin/serve").lines().map(String::strip).filter(l -> l.startsWith("exec java"))
                .findFirst().orElseThrow();
        Matcher cmd = Pattern.compile("^CMD \\[\"sh\", \"-c\", \"(.*)\"\\]$", Pattern.MULTILINE)
                .matcher(read("Dockerfile"));
        assertTrue(cmd.find(), "Dockerfile has a CMD [\"sh\", \"-c\", ...]");
        assertEquals(serve, cmd.group(1).replace("\\\"", "\""));
    }

    @Test
    void dockerfileRunsAsNonRootWithAHealthCheckOnPort8080() throws IOException {
        List<String> lines = read("Dockerfile").lines().map(String::strip).toList();
        assertTrue(lines.contains("EXPOSE 8080"));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("USER ") && !l.equals("USER root")));
        assertTrue(lines.stream().anyMatch(l -> l.contains("/q/health/live")), "HEALTHCHECK on /q/health/live");
    }

    @Test
    void ciRunsTheReadmeTestCommand() throws IOException {
        String readme = read("README.md");
        String ci = read(".ci/run");
        assertTrue(readme.contains("bin/test"), "README shows bin/test");
        assertTrue(readme.contains("bin/serve"), "README shows bin/serve");
        assertTrue(ci.lines().anyMatch(l -> l.strip().equals("bin/test")), ".ci/run runs bin/test");
    }
}
