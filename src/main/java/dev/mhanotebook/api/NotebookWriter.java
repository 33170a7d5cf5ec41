package dev.mhanotebook.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mhanotebook.engine.AttentionInputs;
import dev.mhanotebook.engine.AttentionResult;
import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.AttentionWeights;
import dev.mhanotebook.engine.DropoutMask;
import dev.mhanotebook.engine.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a Jupyter notebook (nbformat 4.5) that recomputes one request with NumPy: the exact
 * inputs, weights, masks and dropout multipliers the engine used, written out as arrays, then
 * steps 1 to 10 of the chapters, then a check against the output and attention weights the
 * server computed. Floats are written with {@link Float#toString(float)}, which reads back as
 * the same float32.
 */
final class NotebookWriter {
    /** The most numbers one notebook carries (inputs, weights, masks and expected results). */
    static final long MAX_NUMBERS = 200_000;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper REQUEST_JSON = new ObjectMapper()
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);
    private static final int REQUEST_ECHO_CHARS = 1500;

    private NotebookWriter() {
    }

    /** How many numbers the notebook of {@code p} holds, before computing anything. */
    static long numbers(AttentionRequests.Prepared p) {
        AttentionSpec s = p.spec();
        long in = (long) s.batch() * s.modelDim() * (s.queryLength() + 2L * s.keyLength());
        long qCols = (long) s.heads() * s.headDim();
        long kvCols = (long) s.kvHeads() * s.headDim();
        long weights = s.modelDim() * (qCols + 2 * kvCols) + qCols * s.modelDim()
                + qCols + 2 * kvCols + s.modelDim();
        long expected = (long) s.batch() * s.queryLength() * s.modelDim() + s.attentionCells();
        long dropout = s.dropoutActive() ? s.attentionCells() : 0;
        return in + weights + expected + dropout;
    }

    static String write(AttentionRequest request, AttentionRequests.Prepared p, AttentionResult r) {
        AttentionSpec s = p.spec();
        AttentionInputs in = p.inputs();
        AttentionWeights w = p.weights();
        List<ObjectNode> cells = new ArrayList<>();

        cells.add(markdown("""
                # Multi-head attention, reproduced with NumPy

                This notebook was written by MHA Notebook from one experiment. \
                It holds the exact inputs, weights and masks the server used, recomputes \
                multi-head attention step by step (the steps are numbered as in the chapters) \
                and checks the result against the server's output and attention weights.

                NumPy computes in float64 here and the server in float32, \
                so the two agree to about 1e-6; the check allows 1e-5.

                The request:

                ```json
                %s
                ```""".formatted(requestEcho(request))));

        cells.add(code(String.format(Locale.ROOT, """
                import numpy as np

                # Sizes, named as on the notation page.
                B, L, S, d_model = %d, %d, %d, %d
                h, g, d_k = %d, %d, %d  # query heads, key/value heads, head width
                s = %s  # the scale applied to Q K^T
                causal = "%s"  # none | top-left | bottom-right""",
                s.batch(), s.queryLength(), s.keyLength(), s.modelDim(), s.heads(), s.kvHeads(),
                s.headDim(), Double.toString(s.scale()), causalName(s))));

        StringBuilder inputs = new StringBuilder("# Inputs, one row per token.\n");
        if (p.tokens() != null) {
            inputs.append("tokens = ").append(pyStrings(p.tokens())).append('\n');
        }
        if (p.keyTokens() != null) {
            inputs.append("key_tokens = ").append(pyStrings(p.keyTokens())).append('\n');
        }
        inputs.append("X = ").append(array(in.query())).append("  # [B, L, d_model]\n");
        if (in.key() == in.query()) {
            inputs.append("X_kv = X  # self-attention: keys and values read the same rows\n");
        } else {
            inputs.append("X_kv = ").append(array(in.key())).append("  # [B, S, d_model]\n");
        }
        if (in.value() == in.key()) {
            inputs.append("X_v = X_kv\n");
        } else {
            inputs.append("X_v = ").append(array(in.value())).append("  # [B, S, d_model]\n");
        }
        inputs.append("key_padding = ").append(in.keyPadding() == null ? "None"
                : bools(in.keyPadding())).append("  # [B, S], True where the key is padding\n");
        inputs.append("blocked = ").append(in.blocked() == null ? "None" : bools(in.blocked()))
                .append("  # [L, S], True where query i may not see key j\n");
        cells.add(code(inputs.toString().strip()));

        cells.add(code("# Learned parameters: Q = X W^Q + b^Q, head i owning columns i*d_k … (i+1)*d_k - 1.\n"
                + "wq = " + matrix(w.wq()) + "  # [d_model, h*d_k]\n"
                + "wk = " + matrix(w.wk()) + "  # [d_model, g*d_k]\n"
                + "wv = " + matrix(w.wv()) + "  # [d_model, g*d_k]\n"
                + "wo = " + matrix(w.wo()) + "  # [h*d_k, d_model]\n"
                + "bq = " + vector(w.bq()) + "\n"
                + "bk = " + vector(w.bk()) + "\n"
                + "bv = " + vector(w.bv()) + "\n"
                + "bo = " + vector(w.bo())));

        String dropout = "dropout_multiplier = None  # no dropout: inference, or p = 0";
        if (s.dropoutActive()) {
            float[] m = DropoutMask.block(s, 0, s.queryLength(), 0, s.keyLength());
            dropout = "# Inverted dropout, p = " + s.dropout() + ": 0 where dropped, 1/(1-p) where kept.\n"
                    + "dropout_multiplier = " + flat(m, s.batch(), s.heads(), s.queryLength(),
                    s.keyLength()) + "  # [B, h, L, S]";
        }
        cells.add(code(dropout));

        cells.add(code("""
                def split_heads(t, n):
                    # [B, T, n*d_k] -> [B, T, n, d_k] -> [B, n, T, d_k]
                    return t.reshape(t.shape[0], t.shape[1], n, d_k).transpose(0, 2, 1, 3)

                x, x_kv, x_v = (a.astype(np.float64) for a in (X, X_kv, X_v))

                # 1) Project all tokens into every head at once.
                Q = x @ wq + bq  # [B, L, h*d_k]
                K = x_kv @ wk + bk  # [B, S, g*d_k]
                V = x_v @ wv + bv

                # 2) Split heads; each key/value head serves h // g query heads.
                Qh = split_heads(Q, h)  # [B, h, L, d_k]
                Kh = np.repeat(split_heads(K, g), h // g, axis=1)  # [B, h, S, d_k]
                Vh = np.repeat(split_heads(V, g), h // g, axis=1)

                # 3) Score every query against every key.
                scores = Qh @ Kh.transpose(0, 1, 3, 2)  # [B, h, L, S]

                # 4) Scale.
                scaled = s * scores

                # 5) Mask: -inf where a query may not see a key.
                i = np.arange(L)[:, None]
                j = np.arange(S)[None, :]
                hidden = np.zeros((B, L, S), dtype=bool)
                if causal == "top-left":
                    hidden |= j > i
                elif causal == "bottom-right":
                    hidden |= j > i + S - L
                if key_padding is not None:
                    hidden |= key_padding[:, None, :]
                if blocked is not None:
                    hidden |= blocked[None, :, :]
                masked = np.where(hidden[:, None, :, :], -np.inf, scaled)

                # 6) Softmax over keys, minus each row's maximum; a fully hidden row gets zeros.
                m = masked.max(axis=-1, keepdims=True)
                m = np.where(np.isfinite(m), m, 0.0)
                e = np.exp(masked - m)
                total = e.sum(axis=-1, keepdims=True)
                attention = e / np.where(total == 0, 1.0, total)  # [B, h, L, S]

                # 7) Dropout, in training only.
                if dropout_multiplier is not None:
                    attention = attention * dropout_multiplier

                # 8) Weight the values.
                head_outputs = attention @ Vh  # [B, h, L, d_k]

                # 9) Concatenate the heads.
                concat = head_outputs.transpose(0, 2, 1, 3).reshape(B, L, h * d_k)

                # 10) Project back to d_model.
                Y = concat @ wo + bo  # [B, L, d_model]
                print("output", Y.shape, "attention", attention.shape)"""));

        StringBuilder check = new StringBuilder("# What the server computed, in float32.\n");
        check.append("expected_output = ").append(tensor(r.output())).append('\n');
        check.append("expected_attention = ")
                .append(r.attention() == null ? "None  # too large to send whole" : tensor(r.attention()))
                .append("\n\n");
        check.append("""
                np.testing.assert_allclose(Y, expected_output, rtol=0, atol=1e-5)
                print("output matches, max |difference| =", np.abs(Y - expected_output).max())
                if expected_attention is not None:
                    np.testing.assert_allclose(attention, expected_attention, rtol=0, atol=1e-5)
                    print("attention matches, max |difference| =",
                          np.abs(attention - expected_attention).max())""");
        cells.add(code(check.toString()));

        ObjectNode notebook = JSON.createObjectNode();
        ArrayNode cellArray = notebook.putArray("cells");
        for (int i = 0; i < cells.size(); i++) {
            cellArray.add(cells.get(i).put("id", "cell-" + (i + 1)));
        }
        ObjectNode metadata = notebook.putObject("metadata");
        metadata.putObject("kernelspec").put("display_name", "Python 3").put("language", "python")
                .put("name", "python3");
        metadata.putObject("language_info").put("name", "python");
        notebook.put("nbformat", 4);
        notebook.put("nbformat_minor", 5);
        try {
            return JSON.writeValueAsString(notebook);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the notebook", e);
        }
    }

    private static String requestEcho(AttentionRequest request) {
        try {
            String json = REQUEST_JSON.writeValueAsString(request == null ? JSON.createObjectNode() : request);
            return json.length() <= REQUEST_ECHO_CHARS ? json
                    : json.substring(0, REQUEST_ECHO_CHARS) + " … (cut; the arrays below are complete)";
        } catch (JsonProcessingException e) {
            return "{}";
        }
    }

    private static String causalName(AttentionSpec s) {
        return s.causal().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static ObjectNode markdown(String text) {
        ObjectNode cell = JSON.createObjectNode().put("cell_type", "markdown");
        cell.putObject("metadata");
        source(cell, text);
        return cell;
    }

    private static ObjectNode code(String text) {
        ObjectNode cell = JSON.createObjectNode().put("cell_type", "code");
        cell.putNull("execution_count");
        cell.putObject("metadata");
        cell.putArray("outputs");
        source(cell, text);
        return cell;
    }

    /** nbformat keeps the source as a list of lines, each but the last ending in a newline. */
    private static void source(ObjectNode cell, String text) {
        ArrayNode lines = cell.putArray("source");
        String[] parts = text.strip().split("\n", -1);
        for (int i = 0; i < parts.length; i++) {
            lines.add(i < parts.length - 1 ? parts[i] + "\n" : parts[i]);
        }
    }

    private static String pyStrings(List<String> strings) {
        try {
            return JSON.writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(strings);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void row(StringBuilder out, float[] values, int from, int to) {
        out.append('[');
        for (int i = from; i < to; i++) {
            if (i > from) {
                out.append(", ");
            }
            out.append(Float.toString(values[i]));
        }
        out.append(']');
    }

    private static String vector(float[] v) {
        StringBuilder out = new StringBuilder("np.array(");
        row(out, v, 0, v.length);
        return out.append(", dtype=np.float32)").toString();
    }

    private static String matrix(float[][] m) {
        StringBuilder out = new StringBuilder("np.array([\n");
        for (float[] r : m) {
            out.append("    ");
            row(out, r, 0, r.length);
            out.append(",\n");
        }
        return out.append("], dtype=np.float32)").toString();
    }

    private static String array(float[][][] x) {
        StringBuilder out = new StringBuilder("np.array([\n");
        for (float[][] m : x) {
            out.append("  [\n");
            for (float[] r : m) {
                out.append("    ");
                row(out, r, 0, r.length);
                out.append(",\n");
            }
            out.append("  ],\n");
        }
        return out.append("], dtype=np.float32)").toString();
    }

    private static String bools(boolean[][] m) {
        StringBuilder out = new StringBuilder("np.array([\n");
        for (boolean[] r : m) {
            out.append("    [");
            for (int i = 0; i < r.length; i++) {
                out.append(i > 0 ? ", " : "").append(r[i] ? "True" : "False");
            }
            out.append("],\n");
        }
        return out.append("], dtype=bool)").toString();
    }

    private static String tensor(Tensor t) {
        long[] shape = t.shape();
        int[] dims = new int[shape.length];
        for (int i = 0; i < shape.length; i++) {
            dims[i] = (int) shape[i];
        }
        return flat(t.data(), dims);
    }

    /** Row-major {@code values} as a NumPy array of shape {@code dims}, one innermost row per line. */
    private static String flat(float[] values, int... dims) {
        int last = dims[dims.length - 1];
        StringBuilder out = new StringBuilder("np.array([\n");
        for (int start = 0; start < values.length; start += last) {
            out.append("    ");
            row(out, values, start, start + last);
            out.append(",\n");
        }
        StringBuilder shape = new StringBuilder();
        for (int i = 0; i < dims.length; i++) {
            shape.append(i > 0 ? ", " : "").append(dims[i]);
        }
        return out.append("], dtype=np.float32).reshape(").append(shape).append(')').toString();
    }
}
