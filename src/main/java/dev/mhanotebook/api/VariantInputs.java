package dev.mhanotebook.api;

import dev.mhanotebook.engine.AttentionSpec;
import dev.mhanotebook.engine.CostModel;
import dev.mhanotebook.engine.Implementation;
import dev.mhanotebook.engine.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Checks shared by the variants endpoints; every refusal is a {@link BadInputException}. */
final class VariantInputs {
    private VariantInputs() {
    }

    /**
     * A toy layer as the attention API would build it from the same fields: one batch, tokens
     * from {@code text} or drawn from {@code seed}, weights drawn from {@code seed}, and the
     * vectorized budget checked (each variant is compared with dense softmax attention).
     */
    static AttentionRequests.Prepared layer(AttentionRequests requests, String text,
            Integer queryLength, Integer modelDim, Integer heads, Integer kvHeads, Long seed,
            String causal) {
        return requests.prepare(new AttentionRequest(null, queryLength, null, modelDim, heads,
                kvHeads, null, text, null, null, null, null, null, null, null, seed, causal, null,
                null, null, null, null, null, null));
    }

    /** The query length to ask for: the given one, none when text sets it, else the fallback. */
    static Integer length(Integer queryLength, String text, int fallback) {
        return queryLength != null || text != null ? queryLength : Integer.valueOf(fallback);
    }

    static int size(String field, Integer value, int fallback, int min, int max) {
        int v = value == null ? fallback : value;
        if (v < min || v > max) {
            throw new BadInputException(field, field + " must be between " + min + " and " + max
                    + " (" + field + "=" + v + ")");
        }
        return v;
    }

    /** A non-empty list of at most {@code maxPoints} sizes, each in [min, max]. */
    static int[] sizes(String field, List<Integer> values, List<Integer> fallback, int min,
            int max, int maxPoints) {
        List<Integer> list = values == null ? fallback : values;
        if (list.isEmpty()) {
            throw new BadInputException(field, field + " must not be empty");
        }
        if (list.size() > maxPoints) {
            throw new BadInputException(field, field + " may have at most " + maxPoints
                    + " values (got " + list.size() + ")");
        }
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            Integer v = list.get(i);
            if (v == null || v < min || v > max) {
                throw new BadInputException(field, field + "[" + i + "] must be between " + min
                        + " and " + max + " (" + field + "[" + i + "]=" + v + ")");
            }
            out[i] = v;
        }
        return out;
    }

    /** Adds the FLOPs of one more dense run to a sweep's total and refuses past the budget. */
    static long spend(long spent, AttentionSpec spec, int runs, long budget, String field) {
        long total = spent + runs * CostModel.flops(spec, Implementation.VECTORIZED);
        if (total > budget) {
            throw new BadInputException(field, "this sweep needs more than "
                    + Units.count(total) + " FLOPs, past its budget of " + Units.count(budget)
                    + "; use fewer or smaller points or fewer repeats");
        }
        return total;
    }

    /** The first batch row of a [1, h, L, S] tensor as [h, L, S], or null. */
    static Tensor firstBatch(Tensor t) {
        if (t == null) {
            return null;
        }
        long[] shape = Arrays.copyOfRange(t.shape(), 1, t.shape().length);
        long n = 1;
        for (long s : shape) {
            n *= s;
        }
        return new Tensor(shape, Arrays.copyOf(t.data(), (int) n));
    }

    /** A mask as text rows, {@code x} where allowed, or null when larger than {@code cells}. */
    static List<String> rows(boolean[][] mask, long cells) {
        if ((long) mask.length * mask[0].length > cells) {
            return null;
        }
        List<String> rows = new ArrayList<>();
        for (boolean[] row : mask) {
            StringBuilder s = new StringBuilder(row.length);
            for (boolean b : row) {
                s.append(b ? 'x' : '.');
            }
            rows.add(s.toString());
        }
        return rows;
    }

    static double millis(long nanos) {
        return Math.round(nanos / 1e4) / 100.0;
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
