package dev.mhanotebook.engine;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Memory-efficient attention: the [B, h, L, S] score matrix is never formed. Queries are taken in
 * blocks of {@code blockSize} rows, keys and values in blocks of {@code blockSize} positions; for
 * each query block a running row maximum {@code m}, a running normaliser {@code ℓ} and an
 * accumulator {@code O} are updated key block by key block with the online softmax (Milakov and
 * Gimelshein 2018; Rabe and Staats 2021; Dao et al. 2022, Algorithm 1). All batches and heads of a
 * tile go through one operation.
 *
 * <p>The weights themselves, when reported, are recovered in a second pass from each row's saved
 * maximum and normaliser: {@code A_ij = exp(s_ij − m_i) / ℓ_i}. The reported peak bytes are those of
 * the forward pass.
 */
final class TiledAttention {
    private TiledAttention() {
    }

    /** Sees the state after every tile: the replay of the advanced chapter uses it. */
    @FunctionalInterface
    public interface TileObserver {
        void tile(int i0, int i1, int j0, int j1, INDArray rowMax, INDArray rowSum, INDArray acc);

        /** A tile the causal mask hides entirely, so nothing was computed for it. */
        default void skipped(int i0, int i1, int j0, int j1) {
        }
    }

    static AttentionResult compute(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            ComputeControl control) {
        return compute(p, in, w, control, null);
    }

    static AttentionResult compute(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            ComputeControl control, TileObserver observer) {
        return compute(p, in, w, control, observer, true);
    }

    /**
     * @param recover whether to recover the attention weights in a second pass; without it the
     *                result has neither {@code attention} nor {@code preview}
     */
    static AttentionResult compute(AttentionSpec p, AttentionInputs in, AttentionWeights w,
            ComputeControl control, TileObserver observer, boolean recover) {
        long start = System.nanoTime();
        int batch = p.batch();
        int heads = p.heads();
        int len = p.queryLength();
        int keyLen = p.keyLength();
        int dk = p.headDim();
        int bs = p.blockSize();
        List<TraceStep> trace = new ArrayList<>();
        List<String> warnings = Masks.blindRowWarnings(p, in);
        int queryBlocks = (len + bs - 1) / bs;
        int keyBlocks = (keyLen + bs - 1) / bs;

        try (Arrays4 arrays = new Arrays4()) {
            // 1) and 2) Project and split heads, as the vectorized path does.
            INDArray[] qkv = VectorizedAttention.projectAndSplit(arrays, p, in, w, trace);
            INDArray qh = qkv[0];                                                 // [B, h, L, d_k]
            INDArray kh = qkv[1];                                                 // [B, h, S, d_k]
            INDArray vh = qkv[2];
            control.checkpoint(0.05);

            INDArray headOut = arrays.own(Nd4j.zeros(batch, heads, len, dk));
            INDArray rowMaxAll = arrays.own(Nd4j.zeros(batch, heads, len, 1));
            INDArray rowSumAll = arrays.own(Nd4j.zeros(batch, heads, len, 1));
            long tilesDone = 0;
            long tilesTotal = (long) queryBlocks * keyBlocks;

            for (int i0 = 0; i0 < len; i0 += bs) {
                int i1 = Math.min(len, i0 + bs);
                INDArray qi = qh.get(all(), all(), interval(i0, i1), all());       // [B, h, b_q, d_k]
                try (Arrays4 block = new Arrays4()) {
                    INDArray m = block.own(Nd4j.valueArrayOf(new long[] {batch, heads, i1 - i0, 1},
                            Float.NEGATIVE_INFINITY));
                    INDArray l = block.own(Nd4j.zeros(batch, heads, i1 - i0, 1));
                    INDArray acc = block.own(Nd4j.zeros(batch, heads, i1 - i0, dk));
                    for (int j0 = 0; j0 < keyLen; j0 += bs) {
                        int j1 = Math.min(keyLen, j0 + bs);
                        tilesDone++;
                        if (causalSkips(p, i0, i1, j0, j1)) {
                            if (observer != null) {
                                observer.skipped(i0, i1, j0, j1);
                            }
                            continue;
                        }
                        try (Arrays4 tile = new Arrays4()) {
                            INDArray kj = kh.get(all(), all(), interval(j0, j1), all());
                            INDArray vj = vh.get(all(), all(), interval(j0, j1), all());

                            // 3) to 5) Scores of this tile, scaled and masked.     [B, h, b_q, b_k]
                            INDArray s = tile.own(NativeOps.batchedTimes(qi, kj, true))
                                    .muli(p.scale());
                            float[] bias = Masks.bias(p, in, i0, i1, j0, j1);
                            if (bias != null) {
                                s.addi(tile.of(bias, batch, 1, i1 - i0, j1 - j0));
                            }

                            // 6) Online softmax: new maximum, rescale what came before by
                            // exp(m_old − m_new), add this tile's exponentials.
                            INDArray mNew = tile.own(Transforms.max(m, s.max(true, 3), true));
                            INDArray mSafe = tile.own(mNew.dup());
                            BooleanIndexing.replaceWhere(mSafe, 0.0, Conditions.isInfinite());
                            INDArray pt = Transforms.exp(s.subi(mSafe), false);  // [B, h, b_q, b_k]
                            INDArray alpha = tile.own(Transforms.exp(m.sub(mSafe), false));
                            l.muli(alpha).addi(pt.sum(true, 3));

                            // 7) Dropout touches the numerator only: ℓ normalises the undropped row.
                            if (p.dropoutActive()) {
                                pt.muli(tile.of(DropoutMask.block(p, i0, i1, j0, j1),
                                        batch, heads, i1 - i0, j1 - j0));
                            }

                            // 8) Accumulate the weighted values.
                            acc.muli(alpha)
                                    .addi(tile.own(NativeOps.batchedTimes(pt, vj, false)));
                            m.assign(mNew);
                            if (observer != null) {
                                observer.tile(i0, i1, j0, j1, m, l, acc);
                            }
                        }
                        control.checkpoint(0.05 + 0.85 * tilesDone / tilesTotal);
                    }
                    // A row that saw no key keeps ℓ = 0 and a zero accumulator: divide by 1.
                    INDArray lSafe = block.own(l.dup());
                    BooleanIndexing.replaceWhere(lSafe, 1.0, Conditions.equals(0.0));
                    headOut.get(all(), all(), interval(i0, i1), all()).assign(acc.divi(lSafe));
                    BooleanIndexing.replaceWhere(m, 0.0, Conditions.isInfinite());
                    rowMaxAll.get(all(), all(), interval(i0, i1), all()).assign(m);
                    rowSumAll.get(all(), all(), interval(i0, i1), all()).assign(lSafe);
                }
            }
            trace.add(tileStep(p, queryBlocks, keyBlocks));
            trace.add(Steps.headOutputs(p, VectorizedAttention.capture(p, headOut)));

            // 9) and 10) Concat heads and project.
            INDArray y = VectorizedAttention.concatAndProject(arrays, p, w, headOut, trace);
            Tensor output = Arrays4.tensor(y, batch, len, p.modelDim());
            long elapsed = System.nanoTime() - start;

            // Second pass, outside the measured forward: recover the weights tile by tile.
            Tensor attention = null;
            AttentionPreview preview = null;
            if (!recover) {
                warnings.add("attention weights not recovered: forward pass only");
            } else if (p.returnsFullAttention()) {
                float[] full = new float[(int) p.attentionCells()];
                recoverWeights(p, in, qh, kh, rowMaxAll, rowSumAll, false, control,
                        (tile, i0, i1, j0, j1) -> scatter(p, full, tile, i0, i1, j0, j1));
                long[] shape = {batch, heads, len, keyLen};
                Tensor weights = new Tensor(shape, full);
                int at = trace.size() - 3;
                trace.add(at, Steps.attention(p, p.captures(full.length) ? weights : null));
                attention = weights;
                if (p.dropoutActive()) {
                    float[] mask = DropoutMask.block(p, 0, len, 0, keyLen);
                    float[] dropped = new float[full.length];
                    for (int n = 0; n < full.length; n++) {
                        dropped[n] = full[n] * mask[n];
                    }
                    attention = new Tensor(shape, dropped);
                    trace.add(at + 1, Steps.dropout(p, p.captures(full.length) ? attention : null));
                }
            } else {
                Pooling.Accumulator pool = new Pooling.Accumulator(p);
                recoverWeights(p, in, qh, kh, rowMaxAll, rowSumAll, true, control, pool::add);
                preview = pool.finish();
                warnings.add(Pooling.warning(p, preview));
            }
            Cost cost = new Cost(CostModel.flops(p, Implementation.TILED),
                    VectorizedAttention.elementOps(trace), CostModel.peakBytes(p, Implementation.TILED),
                    elapsed);
            return new AttentionResult(output, attention, preview, trace, warnings, cost);
        }
    }

    /** Whether a causal mask hides this whole tile, so it need not be computed at all. */
    static boolean causalSkips(AttentionSpec p, int i0, int i1, int j0, int j1) {
        // The tile's most permissive cell is its last query row against its first key.
        return p.causal().blocks(i1 - 1, j0, p.queryLength(), p.keyLength());
    }

    @FunctionalInterface
    interface TileSink {
        void accept(float[] tile, int i0, int i1, int j0, int j1);
    }

    /**
     * A_ij = exp(s·q_i·k_j + M_ij − m_i) / ℓ_i for every tile, and with {@code withDropout} the
     * dropout mask of the forward pass applied.
     */
    private static void recoverWeights(AttentionSpec p, AttentionInputs in, INDArray qh,
            INDArray kh, INDArray rowMax, INDArray rowSum, boolean withDropout,
            ComputeControl control, TileSink sink) {
        int bs = p.blockSize();
        for (int i0 = 0; i0 < p.queryLength(); i0 += bs) {
            int i1 = Math.min(p.queryLength(), i0 + bs);
            INDArray qi = qh.get(all(), all(), interval(i0, i1), all());
            INDArray mi = rowMax.get(all(), all(), interval(i0, i1), all());
            INDArray li = rowSum.get(all(), all(), interval(i0, i1), all());
            for (int j0 = 0; j0 < p.keyLength(); j0 += bs) {
                int j1 = Math.min(p.keyLength(), j0 + bs);
                if (causalSkips(p, i0, i1, j0, j1)) {
                    continue; // all zeros, which the sinks already hold
                }
                try (Arrays4 tile = new Arrays4()) {
                    INDArray s = tile.own(Nd4j.matmul(qi, kh.get(all(), all(), interval(j0, j1), all()),
                            false, true, false)).muli(p.scale());
                    float[] bias = Masks.bias(p, in, i0, i1, j0, j1);
                    if (bias != null) {
                        s.addi(tile.of(bias, p.batch(), 1, i1 - i0, j1 - j0));
                    }
                    INDArray a = Transforms.exp(s.subi(mi), false).divi(li);
                    if (withDropout && p.dropoutActive()) {
                        a.muli(tile.of(DropoutMask.block(p, i0, i1, j0, j1),
                                p.batch(), p.heads(), i1 - i0, j1 - j0));
                    }
                    sink.accept(NativeOps.floats(a), i0, i1, j0, j1);
                }
            }
            control.checkpoint(0.9 + 0.1 * i1 / p.queryLength());
        }
    }

    private static void scatter(AttentionSpec p, float[] full, float[] tile, int i0, int i1,
            int j0, int j1) {
        int cols = j1 - j0;
        int k = 0;
        for (int bh = 0; bh < p.batch() * p.heads(); bh++) {
            for (int i = i0; i < i1; i++) {
                System.arraycopy(tile, k, full, (bh * p.queryLength() + i) * p.keyLength() + j0, cols);
                k += cols;
            }
        }
    }

    private static TraceStep tileStep(AttentionSpec p, int queryBlocks, int keyBlocks) {
        int bq = Math.min(p.blockSize(), p.queryLength());
        int bk = Math.min(p.blockSize(), p.keyLength());
        return new TraceStep("tiles",
                "S_{IJ} = s\\,Q_I K_J^\\top + M_{IJ},\\; m_I' = \\max(m_I, \\mathrm{rowmax}\\,S_{IJ}),\\;"
                        + " \\ell_I' = e^{m_I - m_I'}\\ell_I + \\mathrm{rowsum}\\,e^{S_{IJ} - m_I'},\\;"
                        + " O_I' = e^{m_I - m_I'} O_I + e^{S_{IJ} - m_I'} V_J",
                List.of(TraceStep.in("Q_I", p.batch(), p.heads(), bq, p.headDim()),
                        TraceStep.in("K_J", p.batch(), p.heads(), bk, p.headDim()),
                        TraceStep.in("V_J", p.batch(), p.heads(), bk, p.headDim())),
                new long[] {p.batch(), p.heads(), bq, bk},
                2L * p.attentionCells() * p.headDim(),
                6L * p.attentionCells(),
                TraceStep.bytesOf(p.batch(), p.heads(), bq, bk), null);
    }
}
