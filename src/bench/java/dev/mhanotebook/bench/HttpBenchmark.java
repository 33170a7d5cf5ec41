package dev.mhanotebook.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * HTTP round trips on loopback against the packaged app (target/quarkus-app, built by the
 * bench profile's package phase), started as its own process the way bin/serve starts it: a
 * tutorial-size experiment (L 8, d_model 32, h 4) and a chapter page.
 */
@State(Scope.Benchmark)
public class HttpBenchmark {
    static final int PORT = 18080;
    static final String EXPERIMENT = "{\"queryLength\": 8, \"modelDim\": 32, \"heads\": 4}";
    static final String CHAPTER = "/chapters/scaled-dot-product-attention";

    Process server;
    HttpClient client;
    HttpRequest experiment;
    HttpRequest chapter;

    @Setup
    public void start() throws IOException, InterruptedException {
        Path log = Files.createTempFile("mha-bench-server", ".log");
        server = new ProcessBuilder("java", "-Xms1g", "-Xmx1g", "-Dquarkus.http.port=" + PORT,
                "-Dmha.ratelimit.enabled=false", "-jar", "target/quarkus-app/quarkus-run.jar")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(uri("/q/health/ready")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline || !server.isAlive()) {
                throw new IllegalStateException("server did not become ready; see " + log);
            }
            Thread.sleep(200);
        }
        experiment = HttpRequest.newBuilder(uri("/api/v1/attention"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(EXPERIMENT)).build();
        chapter = HttpRequest.newBuilder(uri(CHAPTER)).build();
        for (HttpRequest r : new HttpRequest[] {experiment, chapter}) {
            int status = client.send(r, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException(r.uri() + " answered " + status);
            }
        }
    }

    static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + PORT + path);
    }

    @Benchmark
    public String experimentRoundTrip() throws IOException, InterruptedException {
        return client.send(experiment, HttpResponse.BodyHandlers.ofString()).body();
    }

    @Benchmark
    public String chapterPageRoundTrip() throws IOException, InterruptedException {
        return client.send(chapter, HttpResponse.BodyHandlers.ofString()).body();
    }

    @TearDown
    public void stop() throws InterruptedException {
        server.destroy();
        server.waitFor();
    }
}
