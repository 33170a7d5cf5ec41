package dev.mhanotebook.chapters;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.mhanotebook.engine.AttentionEngine;
import dev.mhanotebook.engine.AttentionInputs;
import dev.mhanotebook.engine.AttentionResult;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.AttentionWeights;
import dev.mhanotebook.engine.CausalMask;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.Tensor;
import dev.mhanotebook.engine.TraceStep;

/**
 * The PyTorch lines the chapter "Components" shows ({@code content/code/components.py}, as the
 * build copied it to the classpath) are real: Debian's {@code /usr/bin/python3} with
 * {@code python3-torch} runs them on fixed cases, and every step they compute equals the trace of
 * the engine's vectorized implementation, the one the panels quote, within
 * 1e-5·max(1, |engine|); masked scores are −∞ in the same places.
 *
 * <p>Cases, with output [B, L, d_model]: self-attention with the top-left causal mask and two
 * padded keys in the second sentence [2, 5, 8], h = 2; the same without masks [1, 4, 6], h = 3;
 * cross-attention with the bottom-right mask [1, 5, 8] from S = 3 keys, whose first two query
 * rows see no key (PyTorch's NaN, the engine's zeros).
 */
class ComponentsPyTorchTest {
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    private static final double TOLERANCE = 1e-5;
    /** The region of components.py that computes each trace step. */
    private static final Map<String, String> REGION_OF_STEP = Map.ofEntries(
            Map.entry("q", "project"), Map.entry("k", "project"), Map.entry("v", "project"),
            Map.entry("splitHeads", "splitHeads"), Map.entry("scores", "scores"),
            Map.entry("scaled", "scaled"), Map.entry("masked", "masked"),
            Map.entry("attention", "attention"), Map.entry("headOutputs", "headOutputs"),
            Map.entry("concat", "concat"), Map.entry("output", "output"));

    record Case(String name, AttentionSpec spec, AttentionInputs inputs, AttentionWeights weights) {
    }

    private static List<Case> cases;
    private static JsonNode python;

    @BeforeAll
    static void runTheScript() throws Exception {
        cases = List.of(
                build("causal and padding", 2, 5, 5, 8, 2, CausalMask.TOP_LEFT, 2, false, 1),
                build("no mask", 1, 4, 4, 6, 3, CausalMask.NONE, 0, false, 2),
                build("blind rows", 1, 5, 3, 8, 2, CausalMask.BOTTOM_RIGHT, 0, true, 3));
        List<Map<String, Object>> request = new ArrayList<>();
        for (Case c : cases) {
            request.add(toJson(c));
        }
        python = runPython(JSON.writeValueAsString(request));
        assertEquals(cases.size(), python.size(), "one result per case");
    }

    @Test
    void everyRegionOfTheFileComputesATraceStep() {
        SourceFile file = ChapterLibrary.readSources().find("components.py").orElseThrow();
        assertEquals(new java.util.TreeSet<>(REGION_OF_STEP.values()),
                new java.util.TreeSet<>(file.regions().keySet()),
                "each region of components.py is checked against the trace here");
    }

    @Test
    void everyStepEqualsTheEnginesTrace() {
        for (int c = 0; c < cases.size(); c++) {
            Case k = cases.get(c);
            AttentionResult r = AttentionEngine.compute(k.spec(), k.inputs(), k.weights(),
                    Implementation.VECTORIZED);
            List<String> compared = new ArrayList<>();
            for (TraceStep step : r.trace()) {
                if (!REGION_OF_STEP.containsKey(step.name())) {
                    continue;
                }
                JsonNode actual = python.get(c).get(step.name());
                assertNotNull(actual, k.name() + ": the script returns " + step.name());
                assertNotNull(step.value(), k.name() + ": the engine traces " + step.name());
                assertSame(k.name() + " / " + step.name(), step.value(), actual);
                compared.add(step.name());
            }
            assertEquals(List.copyOf(REGION_OF_STEP.keySet()).stream().sorted().toList(),
                    compared.stream().sorted().toList(), k.name() + ": every step compared");
            assertSame(k.name() + " / output", r.output(), python.get(c).get("output"));
        }
    }

    @Test
    void blindRowsAreZerosInBoth() {
        JsonNode attention = python.get(2).get("attention").get(0).get(0);
        for (int i = 0; i < 2; i++) {
            for (JsonNode w : attention.get(i)) {
                assertEquals(0.0, w.asDouble(), "row " + i + " sees no key");
            }
        }
        assertEquals(Double.NEGATIVE_INFINITY,
                python.get(2).get("masked").get(0).get(0).get(0).get(0).asDouble());
    }

    /** Compares a trace tensor with the script's nested lists, value by value. */
    private static void assertSame(String what, Tensor expected, JsonNode actual) {
        List<Long> shape = new ArrayList<>();
        for (JsonNode n = actual; n.isArray(); n = n.get(0)) {
            shape.add((long) n.size());
        }
        assertArrayEquals(expected.shape(), shape.stream().mapToLong(Long::longValue).toArray(),
                what + ": shape");
        double[] values = new double[expected.data().length];
        int[] pos = {0};
        flatten(actual, values, pos);
        for (int i = 0; i < values.length; i++) {
            double e = expected.data()[i];
            double a = values[i];
            boolean same = Double.isInfinite(e) ? e == a
                    : Math.abs(e - a) <= TOLERANCE * Math.max(1, Math.abs(e));
            if (!same) {
                fail(what + " at flat index " + i + ": engine " + e + ", PyTorch " + a);
            }
        }
    }

    private static void flatten(JsonNode node, double[] out, int[] pos) {
        if (node.isArray()) {
            node.forEach(n -> flatten(n, out, pos));
        } else {
            out[pos[0]++] = node.asDouble();
        }
    }

    private static Case build(String name, int batch, int len, int keyLen, int modelDim,
            int heads, CausalMask causal, int paddedKeysInLastSentence, boolean cross, long seed) {
        AttentionSpec spec = AttentionSpec.builder().batch(batch).queryLength(len)
                .keyLength(keyLen).modelDim(modelDim).heads(heads).causal(causal).seed(seed)
                .build();
        SplittableRandom random = new SplittableRandom(seed);
        float[][][] x = uniform(random, batch, len, modelDim);
        float[][][] xKv = cross ? uniform(random, batch, keyLen, modelDim) : x;
        boolean[][] padding = null;
        if (paddedKeysInLastSentence > 0) {
            padding = new boolean[batch][keyLen];
            for (int j = keyLen - paddedKeysInLastSentence; j < keyLen; j++) {
                padding[batch - 1][j] = true;
            }
        }
        AttentionWeights glorot = AttentionWeights.glorot(spec, seed);
        int hd = heads * spec.headDim();
        // Non-zero biases, so that the check sees them added.
        AttentionWeights weights = new AttentionWeights(glorot.wq(), glorot.wk(), glorot.wv(),
                glorot.wo(), uniform(random, 1, 1, hd)[0][0], uniform(random, 1, 1, hd)[0][0],
                uniform(random, 1, 1, hd)[0][0], uniform(random, 1, 1, modelDim)[0][0]);
        return new Case(name, spec, new AttentionInputs(x, xKv, xKv, padding, null), weights);
    }

    private static float[][][] uniform(SplittableRandom random, int a, int b, int c) {
        float[][][] t = new float[a][b][c];
        for (float[][] m : t) {
            for (float[] row : m) {
                for (int i = 0; i < c; i++) {
                    row[i] = (float) (2 * random.nextDouble() - 1);
                }
            }
        }
        return t;
    }

    private static Map<String, Object> toJson(Case c) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("x", c.inputs().query());
        json.put("xKv", c.inputs().key());
        AttentionWeights w = c.weights();
        Map<String, Object> weights = new LinkedHashMap<>();
        weights.put("wq", w.wq());
        weights.put("wk", w.wk());
        weights.put("wv", w.wv());
        weights.put("wo", w.wo());
        weights.put("bq", w.bq());
        weights.put("bk", w.bk());
        weights.put("bv", w.bv());
        weights.put("bo", w.bo());
        json.put("weights", weights);
        json.put("heads", c.spec().heads());
        json.put("causal", switch (c.spec().causal()) {
            case NONE -> "none";
            case TOP_LEFT -> "top-left";
            case BOTTOM_RIGHT -> "bottom-right";
        });
        json.put("keyPadding", c.inputs().keyPadding());
        return json;
    }

    private static JsonNode runPython(String input)
            throws IOException, InterruptedException, URISyntaxException {
        URL script = ComponentsPyTorchTest.class.getClassLoader()
                .getResource("content/code/components.py");
        assertNotNull(script, "components.py is on the classpath, where the build copied it");
        Process process = new ProcessBuilder("/usr/bin/python3", Path.of(script.toURI()).toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "python3 finished in time");
        assertEquals(0, process.exitValue(), "components.py ran (needs python3-torch): " + out);
        return JSON.readTree(out);
    }
}
