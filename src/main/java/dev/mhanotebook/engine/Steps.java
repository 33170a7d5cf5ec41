package dev.mhanotebook.engine;

import static dev.mhanotebook.engine.TraceStep.bytesOf;
import static dev.mhanotebook.engine.TraceStep.in;

import java.util.List;

/**
 * The steps of multi-head attention as the trace names them, with their formulas, shapes and
 * operation counts. All three implementations report through here, so the trace is the same
 * whichever computed it; only the values differ (within float32 rounding).
 *
 * <p>Numbering follows the chapters: 1 project, 2 split heads, 3 score, 4 scale, 5 mask,
 * 6 softmax (7 dropout), 8 weight the values, 9 concat, 10 output projection.
 */
final class Steps {
    private Steps() {
    }

    private static long[] s(long... shape) {
        return shape;
    }

    static TraceStep q(AttentionSpec p, Tensor value) {
        long hd = (long) p.heads() * p.headDim();
        return new TraceStep("q", "Q = X W^Q + b^Q",
                List.of(in("X", p.batch(), p.queryLength(), p.modelDim()), in("W^Q", p.modelDim(), hd)),
                s(p.batch(), p.queryLength(), hd),
                2L * p.batch() * p.queryLength() * p.modelDim() * hd,
                (long) p.batch() * p.queryLength() * hd,
                bytesOf(p.batch(), p.queryLength(), hd), value);
    }

    static TraceStep kv(AttentionSpec p, String name, Tensor value) {
        long hd = (long) p.kvHeads() * p.headDim();
        String upper = name.toUpperCase();
        return new TraceStep(name, upper + " = X_{kv} W^" + upper + " + b^" + upper,
                List.of(in("X_kv", p.batch(), p.keyLength(), p.modelDim()),
                        in("W^" + upper, p.modelDim(), hd)),
                s(p.batch(), p.keyLength(), hd),
                2L * p.batch() * p.keyLength() * p.modelDim() * hd,
                (long) p.batch() * p.keyLength() * hd,
                bytesOf(p.batch(), p.keyLength(), hd), value);
    }

    /** The query heads after reshape [B, L, h, d_k] and transpose to [B, h, L, d_k]. */
    static TraceStep splitHeads(AttentionSpec p, Tensor value) {
        long hd = (long) p.heads() * p.headDim();
        long kvd = (long) p.kvHeads() * p.headDim();
        return new TraceStep("splitHeads",
                "Q_i = Q_{[:, :, i d_k : (i+1) d_k]},\\; [B, L, h d_k] \\to [B, L, h, d_k] \\to [B, h, L, d_k]",
                List.of(in("Q", p.batch(), p.queryLength(), hd), in("K", p.batch(), p.keyLength(), kvd),
                        in("V", p.batch(), p.keyLength(), kvd)),
                s(p.batch(), p.heads(), p.queryLength(), p.headDim()),
                0, 0, bytesOf(p.batch(), p.heads(), p.queryLength(), p.headDim()), value);
    }

    static TraceStep scores(AttentionSpec p, Tensor value) {
        String k = p.kvHeads() == p.heads() ? "K_i" : "K_{g(i)}";
        return new TraceStep("scores", "\\text{scores}_i = Q_i " + k + "^\\top",
                List.of(in("Q_i", p.batch(), p.heads(), p.queryLength(), p.headDim()),
                        in(k + "^T", p.batch(), p.kvHeads(), p.headDim(), p.keyLength())),
                s(p.batch(), p.heads(), p.queryLength(), p.keyLength()),
                2L * p.attentionCells() * p.headDim(), 0,
                bytesOf(p.attentionCells()), value);
    }

    static TraceStep scaled(AttentionSpec p, Tensor value) {
        return new TraceStep("scaled",
                "\\text{scaled} = s \\cdot \\text{scores},\\; s = " + formatScale(p),
                List.of(in("scores", p.batch(), p.heads(), p.queryLength(), p.keyLength())),
                s(p.batch(), p.heads(), p.queryLength(), p.keyLength()),
                0, p.attentionCells(), bytesOf(p.attentionCells()), value);
    }

    static TraceStep masked(AttentionSpec p, boolean anyMask, Tensor value) {
        String formula = anyMask
                ? "\\text{masked}_{ij} = -\\infty \\text{ where query } i \\text{ may not see key } j"
                : "\\text{masked} = \\text{scaled} \\text{ (no mask)}";
        return new TraceStep("masked", formula,
                List.of(in("scaled", p.batch(), p.heads(), p.queryLength(), p.keyLength()),
                        in("mask", p.batch(), 1, p.queryLength(), p.keyLength())),
                s(p.batch(), p.heads(), p.queryLength(), p.keyLength()),
                0, anyMask ? p.attentionCells() : 0, bytesOf(p.attentionCells()), value);
    }

    static TraceStep attention(AttentionSpec p, Tensor value) {
        return new TraceStep("attention",
                "A_{ij} = \\frac{\\exp(\\text{masked}_{ij} - m_i)}{\\sum_{j'} \\exp(\\text{masked}_{ij'} - m_i)},"
                        + "\\; m_i = \\max_j \\text{masked}_{ij}",
                List.of(in("masked", p.batch(), p.heads(), p.queryLength(), p.keyLength())),
                s(p.batch(), p.heads(), p.queryLength(), p.keyLength()),
                0, 4L * p.attentionCells(), bytesOf(p.attentionCells()), value);
    }

    static TraceStep dropout(AttentionSpec p, Tensor value) {
        return new TraceStep("dropout",
                "\\tilde A = A \\odot M / (1 - p),\\; p = " + p.dropout(),
                List.of(in("attention", p.batch(), p.heads(), p.queryLength(), p.keyLength())),
                s(p.batch(), p.heads(), p.queryLength(), p.keyLength()),
                0, p.attentionCells(), bytesOf(p.attentionCells()), value);
    }

    static TraceStep headOutputs(AttentionSpec p, Tensor value) {
        String v = p.kvHeads() == p.heads() ? "V_i" : "V_{g(i)}";
        return new TraceStep("headOutputs", "\\text{head}_i = A_i " + v,
                List.of(in("A_i", p.batch(), p.heads(), p.queryLength(), p.keyLength()),
                        in(v, p.batch(), p.kvHeads(), p.keyLength(), p.headDim())),
                s(p.batch(), p.heads(), p.queryLength(), p.headDim()),
                2L * p.attentionCells() * p.headDim(), 0,
                bytesOf(p.batch(), p.heads(), p.queryLength(), p.headDim()), value);
    }

    static TraceStep concat(AttentionSpec p, Tensor value) {
        long hd = (long) p.heads() * p.headDim();
        return new TraceStep("concat",
                "\\text{concat} = [\\text{head}_1, \\dots, \\text{head}_h],\\; [B, h, L, d_k] \\to [B, L, h d_k]",
                List.of(in("head", p.batch(), p.heads(), p.queryLength(), p.headDim())),
                s(p.batch(), p.queryLength(), hd),
                0, 0, bytesOf(p.batch(), p.queryLength(), hd), value);
    }

    static TraceStep output(AttentionSpec p, Tensor value) {
        long hd = (long) p.heads() * p.headDim();
        return new TraceStep("output", "Y = \\text{concat}\\, W^O + b^O",
                List.of(in("concat", p.batch(), p.queryLength(), hd), in("W^O", hd, p.modelDim())),
                s(p.batch(), p.queryLength(), p.modelDim()),
                2L * p.batch() * p.queryLength() * hd * p.modelDim(),
                (long) p.batch() * p.queryLength() * p.modelDim(),
                bytesOf(p.batch(), p.queryLength(), p.modelDim()), value);
    }

    static String formatScale(AttentionSpec p) {
        double expected = 1.0 / Math.sqrt(p.headDim());
        if (Math.abs(p.scale() - expected) < 1e-12) {
            return "1/\\sqrt{d_k} = 1/\\sqrt{" + p.headDim() + "} \\approx "
                    + String.format(java.util.Locale.ROOT, "%.4f", p.scale());
        }
        return String.format(java.util.Locale.ROOT, "%s", p.scale());
    }
}
