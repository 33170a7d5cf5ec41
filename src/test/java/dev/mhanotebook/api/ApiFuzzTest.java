package dev.mhanotebook.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Sends at least {@value #PER_ENDPOINT} generated bad requests to every API endpoint and checks
 * each is refused politely: 400, 413 or 415 with a JSON {@code error} (and a {@code field} when a
 * field is at fault), never a 500; then that the endpoint still answers a good request.
 *
 * <p>The bad requests are mutations of good ones: invalid JSON, wrong top-level types, unknown
 * fields, each field given a value of the wrong type, huge numbers, NaN and Infinity, deep nesting,
 * 10 MB bodies, ragged arrays and arrays of the wrong shape, wrong content types. The generator is
 * seeded ({@code -Dfuzz.seed=N}, printed on failure) so that a failure reproduces.
 */
@QuarkusTest
class ApiFuzzTest {

    /**
     * Every API endpoint with good bodies to mutate, sizes stated explicitly so that a changed
     * shape is always wrong. A new endpoint is one line here.
     */
    static final List<Endpoint> ENDPOINTS = List.of(
            new Endpoint("/api/v1/attention", Set.of("scale"), Set.of(),
                    "{\"text\": \"The cat sat on the mat\", \"modelDim\": 8, \"heads\": 2,"
                            + " \"causal\": \"top-left\", \"seed\": 7}",
                    "{\"batch\": 1, \"queryLength\": 2, \"keyLength\": 3, \"modelDim\": 2,"
                            + " \"heads\": 1, \"query\": [[[1, 2], [3, 4]]],"
                            + " \"key\": [[[1, 0], [0, 1], [1, 1]]],"
                            + " \"value\": [[[1, 0], [0, 1], [1, 1]]],"
                            + " \"keyPadding\": [[false, false, true]],"
                            + " \"blocked\": [[false, true, false], [false, false, false]]}",
                    "{\"tokens\": [\"a\", \"b\", \"c\"], \"queryLength\": 3, \"modelDim\": 2,"
                            + " \"heads\": 1, \"implementation\": \"tiled\", \"blockSize\": 2,"
                            + " \"weights\": {\"wq\": [[1, 0], [0, 1]], \"wk\": [[1, 0], [0, 1]],"
                            + " \"bq\": [0, 0], \"bo\": [0.5, 0.5]}, \"dropout\": 0.1,"
                            + " \"training\": true, \"scale\": \"sqrt_dk\"}"),
            new Endpoint("/api/v1/model/attention", Set.of(), Set.of("prune"),
                    "{\"text\": \"The cat sat on the mat\", \"layer\": 2, \"head\": 3,"
                            + " \"prune\": [[0, 1], [5, 11]]}"),
            new Endpoint("/api/v1/model/head-importance", Set.of(), Set.of(),
                    "{\"text\": \"The cat sat\"}"),
            new Endpoint("/api/v1/model/similarity", Set.of(), Set.of("prune"),
                    "{\"text\": \"The cat sat\", \"otherText\": \"A dog ran\","
                            + " \"prune\": [[1, 2]]}"),
            new Endpoint("/api/v1/advanced/tiled-replay", Set.of("scale"), Set.of(),
                    "{\"text\": \"The cat sat on the mat\", \"modelDim\": 8, \"heads\": 2,"
                            + " \"blockSize\": 2}"),
            new Endpoint("/api/v1/advanced/kv-cache", Set.of(), Set.of(),
                    "{\"text\": \"A man is playing a guitar\", \"modelDim\": 16, \"heads\": 4}"),
            new Endpoint("/api/v1/advanced/checkpointing", Set.of(), Set.of(),
                    "{\"layers\": 2, \"length\": 8, \"modelDim\": 8, \"heads\": 2}"),
            new Endpoint("/api/v1/advanced/cross-attention", Set.of(), Set.of(),
                    "{\"layer\": 2, \"head\": 3}"),
            new Endpoint("/api/v1/export/notebook", Set.of("scale"), Set.of(),
                    "{\"text\": \"The cat sat\", \"modelDim\": 8, \"heads\": 2}"),
            new Endpoint("/api/v1/variants/grouped-query", Set.of("scale"), Set.of(),
                    "{\"text\": \"the cat sat on the mat\", \"heads\": 4, \"kvHeads\": 2}"),
            new Endpoint("/api/v1/variants/kv-cache", Set.of(), Set.of(),
                    "{\"layers\": 32, \"heads\": 32, \"kvHeads\": 8, \"headDim\": 128,"
                            + " \"sequenceLength\": 4096}"),
            new Endpoint("/api/v1/variants/sparse", Set.of(), Set.of("globalTokens"),
                    "{\"queryLength\": 8, \"window\": 1, \"globalTokens\": [0]}"),
            new Endpoint("/api/v1/variants/sparse/window-sweep", Set.of(), Set.of("windows"),
                    "{\"queryLength\": 16, \"modelDim\": 16, \"heads\": 2, \"windows\": [1, 4]}"),
            new Endpoint("/api/v1/variants/linear", Set.of(), Set.of(),
                    "{\"text\": \"a b c d\", \"featureMap\": \"elu\"}"),
            new Endpoint("/api/v1/variants/linear/feature-sweep", Set.of(), Set.of("features"),
                    "{\"queryLength\": 8, \"modelDim\": 8, \"heads\": 2, \"features\": [8, 16],"
                            + " \"draws\": 1}"),
            new Endpoint("/api/v1/variants/linear/length-sweep", Set.of(), Set.of("lengths"),
                    "{\"lengths\": [16, 32], \"modelDim\": 16, \"repeats\": 1}"),
            new Endpoint("/api/v1/variants/minilm/grouped-query", Set.of(),
                    Set.of("texts", "kvHeads"),
                    "{\"texts\": [\"The cat sat on the mat.\"], \"kvHeads\": [2, 12]}"),
            new Endpoint("/api/v1/variants/minilm/sparse-mass", Set.of(), Set.of(),
                    "{\"text\": \"The cat sat on the mat.\"}"),
            new Endpoint("/api/v1/jobs/length-sweep", Set.of(), Set.of(),
                    "{\"modelDim\": 16, \"heads\": 2, \"minLength\": 64, \"maxLength\": 128}"));

    static final int PER_ENDPOINT = 1_000;
    static final long SEED = Long.getLong("fuzz.seed", 20_261_203L);
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .build();

    @TestHTTPResource("/")
    URI root;

    /**
     * @param numberOrText fields that take either a number or a string, so that neither is a
     *     wrong type for them
     * @param anyLength array fields whose number of rows is free (a list of pairs, say), so that
     *     only ragged rows are wrong
     */
    record Endpoint(String path, Set<String> numberOrText, Set<String> anyLength,
            String... goodBodies) {
    }

    /**
     * One bad request: what was done, the body, its content type, and the field the answer must
     * name (a prefix of it; {@code *} for any field, as when a shape disagrees with a size).
     */
    record Bad(String mutation, byte[] body, String contentType, String field) {
        static Bad json(String mutation, String body, String field) {
            return new Bad(mutation, body.getBytes(StandardCharsets.UTF_8), "application/json",
                    field);
        }
    }

    @TestFactory
    Stream<DynamicTest> everyEndpointRefusesBadInputPolitely() {
        return ENDPOINTS.stream().map(e -> DynamicTest.dynamicTest(e.path(), () -> fuzz(e)));
    }

    void fuzz(Endpoint endpoint) throws Exception {
        Random random = new Random(SEED ^ endpoint.path().hashCode());
        List<JsonNode> goods = new ArrayList<>();
        for (String body : endpoint.goodBodies()) {
            goods.add(JSON.readTree(body));
            // The good bodies really are good: otherwise every mutation would pass trivially.
            int status = send(endpoint, Bad.json("good", body, null)).statusCode();
            assertEquals(2, status / 100, "good body refused with " + status + ": " + body);
        }
        List<Function<Random, Bad>> generators = generators(goods, endpoint);
        for (int i = 0; i < PER_ENDPOINT; i++) {
            Bad bad = generators.get(i < generators.size() ? i : random.nextInt(generators.size()))
                    .apply(random);
            check(endpoint, bad, i);
        }
        for (int i = 0; i < 3; i++) {
            check(endpoint, tenMegabytes(random), PER_ENDPOINT + i);
        }
        // Still answering normally.
        assertEquals(2, send(endpoint, Bad.json("good", endpoint.goodBodies()[0], null))
                .statusCode() / 100);
    }

    void check(Endpoint endpoint, Bad bad, int index) throws Exception {
        HttpResponse<byte[]> r = send(endpoint, bad);
        String where = String.format("%s request %d (seed %d, %s): %s -> %d %s", endpoint.path(),
                index, SEED, bad.mutation(), abbreviate(bad.body()), r.statusCode(),
                abbreviate(r.body()));
        if (!Set.of(400, 413, 415).contains(r.statusCode())) {
            fail("status not 400/413/415: " + where);
        }
        assertTrue(r.headers().firstValue("Content-Type").orElse("")
                .startsWith("application/json"), "not JSON: " + where);
        JsonNode answer = JSON.readTree(r.body());
        String error = answer.path("error").asText("");
        assertTrue(!error.isBlank(), "no error message: " + where);
        if (bad.field() != null && r.statusCode() == 400) {
            String field = answer.path("field").asText(null);
            assertTrue(field != null && (bad.field().equals("*") || field.startsWith(bad.field())),
                    "field should name " + bad.field() + ": " + where);
        }
    }

    HttpResponse<byte[]> send(Endpoint endpoint, Bad bad) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(endpoint.path()))
                .timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofByteArray(bad.body()));
        if (bad.contentType() != null) {
            request.header("Content-Type", bad.contentType());
        }
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static List<Function<Random, Bad>> generators(List<JsonNode> goods, Endpoint endpoint) {
        List<Function<Random, Bad>> g = new ArrayList<>();
        g.add(r -> Bad.json("empty body", "", null));
        g.add(r -> Bad.json("random bytes", randomText(r, 1 + r.nextInt(200)), null));
        g.add(r -> {
            String s = pick(r, goods).toString();
            return Bad.json("truncated", s.substring(0, r.nextInt(s.length() - 1)), null);
        });
        g.add(r -> Bad.json("trailing garbage", pick(r, goods) + pick(r, List.of("}", "]", "x",
                "{}", ",", "\u0000")), null));
        g.add(r -> Bad.json("top level not an object", pick(r, List.of("[]", "[{}]", "1", "-1",
                "\"text\"", "true", "null", "1e999", "[" + pick(r, goods) + "]")), null));
        g.add(r -> Bad.json("non-numeric literal", withRawValue(r, goods,
                pick(r, List.of("NaN", "Infinity", "-Infinity", "+1", "0x10", "01", ".5", "1.",
                        "undefined", "'a'"))), null));
        g.add(r -> {
            ObjectNode o = pick(r, goods).deepCopy();
            String name = "unknown" + r.nextInt(1000);
            o.set(name, randomValue(r, 2));
            return Bad.json("unknown field", o.toString(), name);
        });
        g.add(r -> wrongType(r, pick(r, goods), endpoint.numberOrText()));
        g.add(r -> hugeNumber(r, pick(r, goods)));
        g.add(r -> deepNesting(r, pick(r, goods)));
        g.add(r -> reshaped(r, goods, endpoint.anyLength()));
        g.add(r -> new Bad("wrong content type", pick(r, goods).toString()
                .getBytes(StandardCharsets.UTF_8), pick(r, List.of("text/plain",
                "application/xml", "application/x-www-form-urlencoded", "multipart/form-data",
                "image/png")), null));
        g.add(r -> new Bad("no content type", pick(r, goods).toString()
                .getBytes(StandardCharsets.UTF_8), null, null));
        g.add(r -> {
            JsonNode v = randomValue(r, 4);
            if (v.isObject()) {
                // Random names are never fields: an object of them is refused even when empty.
                ((ObjectNode) v).put(randomWord(r) + "_", 1);
            }
            return Bad.json("random JSON", v.toString(), null);
        });
        return g;
    }

    /** Replaces one field's value by a value of another JSON type. */
    static Bad wrongType(Random r, JsonNode good, Set<String> numberOrText) {
        ObjectNode o = good.deepCopy();
        String name = pick(r, fieldNames(o));
        JsonNode old = o.get(name);
        boolean either = numberOrText.contains(name);
        List<JsonNode> others = new ArrayList<>();
        if (!old.isNumber() && !either) {
            others.add(NODES.numberNode(r.nextInt(2000) - 1000));
            others.add(NODES.numberNode(r.nextDouble() * 10));
        }
        if (!old.isTextual() && !either) {
            others.add(NODES.textNode(randomText(r, 1 + r.nextInt(10))));
        }
        if (!old.isBoolean()) {
            others.add(NODES.booleanNode(r.nextBoolean()));
        }
        if (!old.isObject()) {
            others.add(NODES.objectNode().put("x", 1));
        }
        if (!old.isArray()) {
            others.add(NODES.arrayNode().add(1).add("a"));
        }
        if (old.isArray() && old.size() > 0) {
            // An element of the wrong type deep inside.
            others.add(replaceLeaf(r, old.deepCopy(), NODES.objectNode()));
        }
        o.set(name, pick(r, others));
        return Bad.json("wrong type of " + name, o.toString(), name);
    }

    /** A number no size, seed or probability accepts: too large, too long or out of range. */
    static Bad hugeNumber(Random r, JsonNode good) {
        ObjectNode o = good.deepCopy();
        List<String> numeric = fieldNames(o).stream().filter(n -> o.get(n).isNumber()
                || o.get(n).isArray()).toList();
        String name = pick(r, numeric.isEmpty() ? fieldNames(o) : numeric);
        String huge = pick(r, List.of("1e400", "-1e400", "9223372036854775808",
                "-9223372036854775809", "1" + "0".repeat(1000), "-" + "9".repeat(70),
                "1e308", "-1e308"));
        String body;
        if (o.get(name).isArray()) {
            body = o.set(name, replaceLeaf(r, o.get(name).deepCopy(), NODES.textNode("@@")))
                    .toString().replace("\"@@\"", huge);
        } else {
            body = o.put(name, "@@").toString().replace("\"@@\"", huge);
        }
        // Past the longest number JSON may hold, the parser refuses it before any field is known.
        return Bad.json("huge number in " + name, body, huge.length() > 64 ? null : name);
    }

    static Bad deepNesting(Random r, JsonNode good) {
        ObjectNode o = good.deepCopy();
        String name = pick(r, fieldNames(o));
        int depth = pick(r, List.of(40, 200, 5_000, 50_000));
        String open = r.nextBoolean() ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        String body = o.put(name, "@@").toString()
                .replace("\"@@\"", open.repeat(depth) + "1" + close.repeat(depth));
        return Bad.json("nesting " + depth + " deep in " + name, body, null);
    }

    /** A ragged array, or an array of another shape where the sizes are stated explicitly. */
    static Bad reshaped(Random r, List<JsonNode> goods, Set<String> anyLength) {
        List<JsonNode> withMatrices = goods.stream().filter(g -> !matrixFields(g).isEmpty())
                .toList();
        JsonNode good = pick(r, withMatrices.isEmpty() ? goods : withMatrices);
        ObjectNode o = good.deepCopy();
        List<String> matrices = matrixFields(o);
        if (matrices.isEmpty()) {
            return Bad.json("ragged", o.put(pick(r, fieldNames(o)), "@@").toString()
                    .replace("\"@@\"", "[[1, 2], [3]]"), "*");
        }
        String name = pick(r, matrices);
        ArrayNode a = (ArrayNode) o.get(name);
        String how;
        switch (r.nextInt(anyLength.contains(name) ? 2 : 4)) {
            case 0 -> {
                ArrayNode row = innermostRows(r, a);
                row.add(row.get(0).deepCopy());
                how = "ragged";
            }
            case 1 -> {
                ArrayNode row = innermostRows(r, a);
                row.remove(row.size() - 1);
                how = row.isEmpty() ? "empty row" : "ragged";
            }
            case 2 -> {
                a.remove(a.size() - 1);
                if (a.isEmpty()) {
                    o.set(name, NODES.arrayNode());
                }
                how = "one row fewer";
            }
            default -> {
                a.add(a.get(0).deepCopy());
                how = "one row more";
            }
        }
        return Bad.json(how + " in " + name, o.toString(), "*");
    }

    static Bad tenMegabytes(Random r) {
        StringBuilder sb = new StringBuilder(10_500_000).append("{\"text\": \"");
        while (sb.length() < 10_000_000) {
            sb.append(randomWord(r)).append(' ');
        }
        return Bad.json("10 MB body", sb.append("\"}").toString(), null);
    }

    /** Fields holding arrays of arrays (tensors, matrices, masks), at the top or one level down. */
    static List<String> matrixFields(JsonNode o) {
        List<String> names = new ArrayList<>();
        for (String name : fieldNames(o)) {
            JsonNode v = o.get(name);
            if (v.isArray() && v.size() > 0 && v.get(0).isArray()) {
                names.add(name);
            }
        }
        return names;
    }

    /** Some innermost non-empty array, found by walking down from {@code a} at random. */
    static ArrayNode innermostRows(Random r, ArrayNode a) {
        ArrayNode row = a;
        while (row.get(0).isArray()) {
            row = (ArrayNode) row.get(r.nextInt(row.size()));
        }
        return row;
    }

    static JsonNode replaceLeaf(Random r, JsonNode array, JsonNode leaf) {
        ArrayNode row = innermostRows(r, (ArrayNode) array);
        row.set(r.nextInt(row.size()), leaf);
        return array;
    }

    static String withRawValue(Random r, List<JsonNode> goods, String raw) {
        ObjectNode o = pick(r, goods).deepCopy();
        return o.put(pick(r, fieldNames(o)), "@@").toString().replace("\"@@\"", raw);
    }

    static JsonNode randomValue(Random r, int depth) {
        int kind = depth <= 0 ? r.nextInt(4) : r.nextInt(6);
        return switch (kind) {
            case 0 -> NODES.numberNode(r.nextGaussian() * Math.pow(10, r.nextInt(20)));
            case 1 -> NODES.textNode(randomText(r, r.nextInt(20)));
            case 2 -> NODES.booleanNode(r.nextBoolean());
            case 3 -> NODES.nullNode();
            case 4 -> {
                ArrayNode a = NODES.arrayNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    a.add(randomValue(r, depth - 1));
                }
                yield a;
            }
            default -> {
                ObjectNode o = NODES.objectNode();
                for (int i = r.nextInt(5); i > 0; i--) {
                    o.set(randomWord(r) + i, randomValue(r, depth - 1));
                }
                yield o;
            }
        };
    }

    static List<String> fieldNames(JsonNode o) {
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
            names.add(it.next().getKey());
        }
        return names;
    }

    static String randomText(Random r, int length) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < length; i++) {
            sb.append(r.nextInt(10) == 0 ? (char) r.nextInt(0x3000) : (char) (32 + r.nextInt(95)));
        }
        return sb.toString();
    }

    static String randomWord(Random r) {
        return pick(r, List.of("the", "cat", "sat", "attention", "<img src=x onerror=alert(1)>",
                "über", "日本", "\\u0000", "'", "--"));
    }

    static <T> T pick(Random r, List<T> items) {
        return items.get(r.nextInt(items.size()));
    }

    static String abbreviate(byte[] bytes) {
        String s = new String(bytes, 0, Math.min(bytes.length, 300), StandardCharsets.UTF_8);
        return bytes.length > 300 ? s + "… (" + bytes.length + " bytes)" : s;
    }
}
