package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every implementation against the fixtures PyTorch computed in float64
 * ({@code src/test/resources/fixtures/attention/generate.py}, which documents the format and how
 * each option is put to PyTorch). A value passes when it is within 1e-5·max(1, |expected|).
 *
 * <p>The tiled path runs with blocks of 2 and of 3, so that tiles do not divide the lengths. The
 * largest difference per fixture and implementation goes to {@code target/fixture-report.md}.
 *
 * <p>Fixtures, with output [B, L, d_model] and attention [B, h, L, S]:
 * <pre>
 * self-attention                      [1, 5, 6]  [1, 2, 5, 5]  key = value = query
 * cross-attention                     [1, 3, 6]  [1, 3, 3, 5]  L ≠ S
 * batch-key-padding                   [3, 4, 4]  [3, 2, 4, 5]  0, 1, 2 padded keys
 * all-masks                           [2, 5, 4]  [2, 2, 5, 5]  causal + padding + blocked
 * causal-top-left-short-queries       [1, 3, 4]  [1, 2, 3, 5]
 * causal-top-left-long-queries        [1, 5, 4]  [1, 2, 5, 3]
 * causal-bottom-right-short-queries   [1, 3, 4]  [1, 2, 3, 5]
 * causal-bottom-right-long-queries    [1, 5, 4]  [1, 2, 5, 3]  rows 0–1 blind (NumPy)
 * fully-blocked-row                   [2, 4, 4]  [2, 2, 4, 4]  row 2 blind (NumPy)
 * all-keys-padded                     [2, 3, 4]  [2, 2, 3, 3]  batch 1 blind (NumPy)
 * large-logits                        [1, 4, 8]  [1, 2, 4, 4]  logits near ±1014
 * left-padding                        [2, 4, 4]  [2, 2, 4, 6]  a first key tile all masked
 * logits-1000-999                     [1, 1, 1]  [1, 1, 1, 2]  0.7311 and 0.2689
 * scale-none, scale-custom            [1, 4, 4], [1, 4, 6]
 * multi-query, grouped-query          heads 4, kvHeads 1 and 2
 * dropout-training, dropout-evaluation  p = 0.3, hashed mask / none
 * head-order                          [1, 3, 4]  [1, 2, 3, 3]  W^O = I shows the concat order
 * head-dim-wide, head-dim-narrow      h·d_k = 6 > d_model = 4, h·d_k = 4 < d_model = 6
 * everything                          [2, 5, 6]  [2, 4, 5, 6]  GQA, masks, scale, dropout
 * </pre>
 */
class PyTorchFixtureTest {
    private static final String DIR = "fixtures/attention";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Largest differences, by fixture then implementation, for the report. */
    private static final Map<String, Map<String, String>> REPORT = new TreeMap<>();

    /** An implementation as the test runs it: the tiled one once per block size. */
    record Runner(String label, Implementation implementation, int blockSize) {
        @Override
        public String toString() {
            return label;
        }
    }

    static final List<Runner> RUNNERS = List.of(
            new Runner("vectorized", Implementation.VECTORIZED, 32),
            new Runner("loops", Implementation.LOOPS, 32),
            new Runner("tiled-2", Implementation.TILED, 2),
            new Runner("tiled-3", Implementation.TILED, 3));

    static List<Path> fixtures() {
        URL url = PyTorchFixtureTest.class.getClassLoader().getResource(DIR);
        if (url == null) {
            throw new IllegalStateException("no " + DIR + " on the test classpath");
        }
        try (Stream<Path> files = Files.list(Paths.get(url.toURI()))) {
            List<Path> list = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
            if (list.isEmpty()) {
                throw new IllegalStateException("no fixtures in " + url);
            }
            return list;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Stream<Arguments> fixturesTimesImplementations() {
        List<Arguments> args = new ArrayList<>();
        for (Path p : fixtures()) {
            for (Runner r : RUNNERS) {
                args.add(Arguments.of(name(p), r));
            }
        }
        return args.stream();
    }

    static Stream<String> fixtureNames() {
        return fixtures().stream().map(PyTorchFixtureTest::name);
    }

    private static String name(Path p) {
        String file = p.getFileName().toString();
        return file.substring(0, file.length() - ".json".length());
    }

    @ParameterizedTest(name = "{0} / {1}")
    @MethodSource("fixturesTimesImplementations")
    void matchesPyTorch(String fixture, Runner runner) {
        Fixture f = Fixture.load(fixture, runner.blockSize());
        AttentionResult r = AttentionEngine.compute(f.spec, f.inputs, f.weights,
                runner.implementation());

        Diff out = Diff.of(f.expectedOutput, r.output());
        Diff att = Diff.of(f.expectedAttention, r.attention());
        synchronized (REPORT) {
            REPORT.computeIfAbsent(fixture, k -> new TreeMap<>())
                    .put(runner.label(), String.format(Locale.ROOT, "%.1e / %.1e",
                            out.largest, att.largest));
        }

        assertArrayEquals(f.expectedOutput.shape, r.output().shape(), "output shape");
        assertArrayEquals(f.expectedAttention.shape, r.attention().shape(), "attention shape");
        if (out.worst != null || att.worst != null) {
            fail((out.worst != null ? "output " + out.worst : "")
                    + (out.worst != null && att.worst != null ? "; " : "")
                    + (att.worst != null ? "attention " + att.worst : ""));
        }
        assertEquals(f.blindRows > 0, !r.warnings().isEmpty(),
                "a warning exactly when some query row sees no key: " + r.warnings());
    }

    /** The script reproduces DropoutMask's hash; compare the masks themselves, weight by weight. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtureNames")
    void dropoutMaskMatchesTheScript(String fixture) {
        Fixture f = Fixture.load(fixture, 32);
        if (f.dropoutKeep == null) {
            assertFalse(f.spec.dropoutActive(), "a fixture with active dropout lists its mask");
            return;
        }
        AttentionSpec p = f.spec;
        for (int b = 0; b < p.batch(); b++) {
            for (int h = 0; h < p.heads(); h++) {
                for (int i = 0; i < p.queryLength(); i++) {
                    for (int j = 0; j < p.keyLength(); j++) {
                        assertEquals(f.dropoutKeep.get(b).get(h).get(i).get(j).asBoolean(),
                                DropoutMask.keeps(p, b, h, i, j),
                                "keep (" + b + ", " + h + ", " + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @AfterAll
    static void writeReport() throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Fixture report\n\n")
                .append("Largest absolute difference from the PyTorch fixtures, ")
                .append("output / attention; tolerance 1e-5·max(1, |expected|).\n\n")
                .append("| fixture |");
        RUNNERS.forEach(r -> md.append(' ').append(r.label()).append(" |"));
        md.append("\n|---|");
        RUNNERS.forEach(r -> md.append("---|"));
        md.append('\n');
        synchronized (REPORT) {
            REPORT.forEach((fixture, byRunner) -> {
                md.append("| ").append(fixture).append(" |");
                RUNNERS.forEach(r -> md.append(' ')
                        .append(byRunner.getOrDefault(r.label(), "–")).append(" |"));
                md.append('\n');
            });
        }
        Path target = Paths.get("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("fixture-report.md"), md);
        }
        System.out.print(md);
    }

    /** Expected values flattened in row-major order, with their shape. */
    record Expected(long[] shape, double[] values) {
        static Expected of(JsonNode node) {
            List<Long> shape = new ArrayList<>();
            for (JsonNode n = node; n.isArray(); n = n.get(0)) {
                shape.add((long) n.size());
            }
            List<Double> values = new ArrayList<>();
            flatten(node, values);
            return new Expected(shape.stream().mapToLong(Long::longValue).toArray(),
                    values.stream().mapToDouble(Double::doubleValue).toArray());
        }

        private static void flatten(JsonNode node, List<Double> out) {
            if (node.isArray()) {
                node.forEach(n -> flatten(n, out));
            } else {
                out.add(node.doubleValue());
            }
        }
    }

    /** The largest difference, and the first value out of tolerance (null when none is). */
    record Diff(double largest, String worst) {
        static Diff of(Expected expected, Tensor actual) {
            double largest = 0;
            String worst = null;
            int n = Math.min(expected.values().length, actual.data().length);
            for (int k = 0; k < n; k++) {
                double e = expected.values()[k];
                double a = actual.data()[k];
                double d = Math.abs(e - a);
                largest = Double.isNaN(d) ? Double.NaN : Math.max(largest, d);
                if (worst == null && !(d <= 1e-5 * Math.max(1, Math.abs(e)))) {
                    worst = "at " + index(expected.shape(), k) + ": expected " + e + ", got " + a;
                }
            }
            return new Diff(largest, worst);
        }

        /** The multi-index of flat position {@code k}, as {@code [b, h, i, j]}. */
        static String index(long[] shape, int k) {
            long[] idx = new long[shape.length];
            long rest = k;
            for (int d = shape.length - 1; d >= 0; d--) {
                idx[d] = rest % shape[d];
                rest /= shape[d];
            }
            return Arrays.toString(idx);
        }
    }

    /** One fixture file turned into the engine's types. */
    static final class Fixture {
        AttentionSpec spec;
        AttentionInputs inputs;
        AttentionWeights weights;
        Expected expectedOutput;
        Expected expectedAttention;
        JsonNode dropoutKeep;
        int blindRows;

        static Fixture load(String name, int blockSize) {
            Path path = fixtures().stream().filter(p -> name(p).equals(name)).findFirst()
                    .orElseThrow();
            JsonNode root;
            try {
                root = JSON.readTree(path.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Fixture f = new Fixture();
            JsonNode s = root.get("spec");
            int headDim = s.get("headDim").asInt();
            f.spec = AttentionSpec.builder()
                    .batch(s.get("batch").asInt())
                    .queryLength(s.get("queryLength").asInt())
                    .keyLength(s.get("keyLength").asInt())
                    .modelDim(s.get("modelDim").asInt())
                    .heads(s.get("heads").asInt())
                    .kvHeads(s.get("kvHeads").asInt())
                    .headDim(headDim)
                    .causal(causal(s.get("causal").asText()))
                    .scale(scale(s.get("scale"), headDim))
                    .dropout(s.get("dropout").asDouble())
                    .training(s.get("training").asBoolean())
                    .seed(s.get("seed").asLong())
                    .blockSize(blockSize)
                    .build();

            float[][][] query = floats3(root.get("query"));
            if (root.get("selfAttention").asBoolean()) {
                // The same array, as the API passes it, so the engine's self-attention path runs.
                f.inputs = new AttentionInputs(query, query, query,
                        booleans(root.get("keyPadding")), booleans(root.get("blocked")));
            } else {
                f.inputs = new AttentionInputs(query, floats3(root.get("key")),
                        floats3(root.get("value")), booleans(root.get("keyPadding")),
                        booleans(root.get("blocked")));
            }
            JsonNode w = root.get("weights");
            f.weights = new AttentionWeights(floats2(w.get("wq")), floats2(w.get("wk")),
                    floats2(w.get("wv")), floats2(w.get("wo")), floats1(w.get("bq")),
                    floats1(w.get("bk")), floats1(w.get("bv")), floats1(w.get("bo")));
            f.expectedOutput = Expected.of(root.get("expected").get("output"));
            f.expectedAttention = Expected.of(root.get("expected").get("attention"));
            f.dropoutKeep = root.get("dropoutKeep");
            f.blindRows = root.get("blindRows").size();
            return f;
        }

        private static CausalMask causal(String text) {
            return switch (text) {
                case "none" -> CausalMask.NONE;
                case "top-left" -> CausalMask.TOP_LEFT;
                case "bottom-right" -> CausalMask.BOTTOM_RIGHT;
                default -> throw new IllegalArgumentException("causal: " + text);
            };
        }

        private static double scale(JsonNode node, int headDim) {
            if (node.isNumber()) {
                return node.doubleValue();
            }
            return switch (node.asText()) {
                case "sqrt_dk" -> 1.0 / Math.sqrt(headDim);
                case "none" -> 1.0;
                default -> throw new IllegalArgumentException("scale: " + node);
            };
        }

        private static float[] floats1(JsonNode node) {
            float[] a = new float[node.size()];
            for (int i = 0; i < a.length; i++) {
                double v = node.get(i).doubleValue();
                a[i] = (float) v;
                if (a[i] != v) {
                    throw new IllegalArgumentException("not float32-exact: " + v);
                }
            }
            return a;
        }

        private static float[][] floats2(JsonNode node) {
            float[][] a = new float[node.size()][];
            for (int i = 0; i < a.length; i++) {
                a[i] = floats1(node.get(i));
            }
            return a;
        }

        private static float[][][] floats3(JsonNode node) {
            float[][][] a = new float[node.size()][][];
            for (int i = 0; i < a.length; i++) {
                a[i] = floats2(node.get(i));
            }
            return a;
        }

        private static boolean[][] booleans(JsonNode node) {
            if (node == null || node.isNull()) {
                return null;
            }
            boolean[][] a = new boolean[node.size()][];
            for (int i = 0; i < a.length; i++) {
                a[i] = new boolean[node.get(i).size()];
                for (int j = 0; j < a[i].length; j++) {
                    a[i][j] = node.get(i).get(j).asBoolean();
                }
            }
            return a;
        }
    }
}
