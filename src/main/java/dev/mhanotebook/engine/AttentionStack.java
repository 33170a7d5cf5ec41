package dev.mhanotebook.engine;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * A stack of self-attention layers with a hand-written backward pass, run with and without
 * gradient checkpointing (Chen et al. 2016, §3–4). Layer {@code l} computes
 * {@code X_{l+1} = X_l + MultiHead(X_l)} (a residual connection, no biases, no mask) and the loss
 * is {@code Σ X_n ⊙ R} for a fixed random {@code R}, so {@code ∂loss/∂X_n = R}.
 *
 * <p>Without checkpointing the forward pass keeps every layer's activations (its input, Q, K, V,
 * the attention weights and the concatenated heads) for the backward pass. With checkpointing it
 * keeps only the input of every {@code segment}-th layer, and the backward pass recomputes each
 * segment's activations from its stored input just before it needs them: about one extra forward
 * pass of compute for memory that grows with {@code n / segment + segment} layers instead of
 * {@code n}; {@code segment = ⌈√n⌉} minimises that.
 *
 * <p>Layout: batch 1, {@code X} is [L, d_model]; per layer Q, K, V are [h, L, d_k] and the
 * weights A are [h, L, L].
 */
public final class AttentionStack {
    private AttentionStack() {
    }

    /**
     * @param layers   n, the stack's depth
     * @param length   L, tokens
     * @param modelDim d_model
     * @param heads    h; divides d_model
     * @param segment  layers per checkpointed segment; 0 means ⌈√n⌉
     */
    public record StackSpec(int layers, int length, int modelDim, int heads, int segment) {
        public StackSpec {
            if (layers <= 0 || length <= 0 || modelDim <= 0 || heads <= 0
                    || modelDim % heads != 0 || segment < 0) {
                throw new IllegalArgumentException("bad stack sizes (layers=" + layers + ", L="
                        + length + ", d_model=" + modelDim + ", h=" + heads + ", segment=" + segment
                        + ")");
            }
        }

        public int headDim() {
            return modelDim / heads;
        }

        public int segmentLength() {
            return segment > 0 ? Math.min(segment, layers)
                    : (int) Math.ceil(Math.sqrt(layers));
        }

        /** FLOPs of one layer's forward pass: four projections, scores, weighted values. */
        public long layerForwardFlops() {
            long l = length;
            long d = modelDim;
            return 8 * l * d * d + 4 * l * l * d;
        }
    }

    /**
     * What one backward pass cost.
     *
     * @param checkpointing       whether activations were recomputed
     * @param segment             layers per segment (n when not checkpointing)
     * @param activationBytesKept the most bytes of saved activations alive at once
     * @param activationBytesPerLayer bytes one layer's saved activations take
     * @param recomputedLayers    layer forward passes run again during the backward pass
     * @param forwardFlops        FLOPs of the forward pass
     * @param recomputeFlops      FLOPs of the recomputation
     * @param backwardFlops       FLOPs of the backward pass proper (twice the forward's products)
     * @param elapsedNanos        measured time of forward and backward together
     * @param loss                Σ X_n ⊙ R
     * @param inputGradient       ∂loss/∂X_0, [L, d_model]
     * @param weightGradientNorms the Frobenius norm of ∂loss/∂W^Q, W^K, W^V, W^O per layer, [n, 4]
     */
    public record Report(boolean checkpointing, int segment, long activationBytesKept,
            long activationBytesPerLayer, int recomputedLayers, long forwardFlops,
            long recomputeFlops, long backwardFlops, long elapsedNanos, double loss,
            Tensor inputGradient, Tensor weightGradientNorms) {
    }

    /** The parameters of one layer, [d_model, d_model] each. */
    record Layer(INDArray wq, INDArray wk, INDArray wv, INDArray wo) {
    }

    /** The gradients of one layer, in the order of {@link Layer}. */
    record LayerGrad(INDArray wq, INDArray wk, INDArray wv, INDArray wo) {
    }

    /** What a layer's forward pass keeps for its backward pass. */
    private record Saved(INDArray x, INDArray q, INDArray k, INDArray v, INDArray a, INDArray c) {
        long bytes() {
            long n = x.length() + q.length() + k.length() + v.length() + a.length() + c.length();
            return n * x.dataType().width();
        }
    }

    /** Everything a run produces, for the tests to compare in full. */
    record Run(Report report, INDArray inputGradient, List<LayerGrad> grads) {
    }

    /**
     * Both runs on the same problem.
     *
     * @param maxGradientDifference the largest |plain − checkpointed| over the input gradient and
     *                              every weight gradient
     */
    public record Comparison(Report plain, Report checkpointed, double maxGradientDifference) {
    }

    /** Runs the stack without and then with checkpointing, in float32, on the same problem. */
    public static Comparison compare(StackSpec s, long seed, ComputeControl control) {
        Problem problem = Problem.draw(s, seed, DataType.FLOAT);
        Run plain = run(s, problem, false, fraction -> control.checkpoint(fraction / 2));
        Run checkpointed = run(s, problem, true,
                fraction -> control.checkpoint(0.5 + fraction / 2));
        return new Comparison(plain.report(), checkpointed.report(),
                maxDifference(plain, checkpointed));
    }

    static double maxDifference(Run a, Run b) {
        double d = maxAbs(a.inputGradient().sub(b.inputGradient()));
        for (int l = 0; l < a.grads().size(); l++) {
            LayerGrad x = a.grads().get(l);
            LayerGrad y = b.grads().get(l);
            d = Math.max(d, maxAbs(x.wq().sub(y.wq())));
            d = Math.max(d, maxAbs(x.wk().sub(y.wk())));
            d = Math.max(d, maxAbs(x.wv().sub(y.wv())));
            d = Math.max(d, maxAbs(x.wo().sub(y.wo())));
        }
        return d;
    }

    private static double maxAbs(INDArray a) {
        return a.amaxNumber().doubleValue();
    }

    /** Runs forward and backward in float32 on inputs and weights drawn from {@code seed}. */
    public static Report run(StackSpec s, long seed, boolean checkpointing,
            ComputeControl control) {
        Problem problem = Problem.draw(s, seed, DataType.FLOAT);
        return run(s, problem, checkpointing, control).report();
    }

    /** Seeded inputs, upstream gradient and weights of a stack. */
    record Problem(INDArray x, INDArray upstream, List<Layer> layers) {
        static Problem draw(StackSpec s, long seed, DataType type) {
            INDArray x = Nd4j.create(flat(TokenVectors.random(seed, "stack-x", 1, s.length(),
                    s.modelDim())), new long[] {s.length(), s.modelDim()}, 'c').castTo(type);
            INDArray r = Nd4j.create(flat(TokenVectors.random(seed, "stack-r", 1, s.length(),
                    s.modelDim())), new long[] {s.length(), s.modelDim()}, 'c').castTo(type);
            List<Layer> layers = new ArrayList<>();
            for (int l = 0; l < s.layers(); l++) {
                layers.add(new Layer(matrix(seed, "wq" + l, s, type),
                        matrix(seed, "wk" + l, s, type),
                        matrix(seed, "wv" + l, s, type), matrix(seed, "wo" + l, s, type)));
            }
            return new Problem(x, r, layers);
        }

        private static INDArray matrix(long seed, String name, StackSpec s, DataType type) {
            return Nd4j.createFromArray(AttentionWeights.glorot(seed, name, s.modelDim(),
                    s.modelDim())).castTo(type);
        }

        private static float[] flat(float[][][] x) {
            return Tensor.of(x).data();
        }
    }

    static Run run(StackSpec s, Problem problem, boolean checkpointing, ComputeControl control) {
        long start = System.nanoTime();
        int n = s.layers();
        int segment = checkpointing ? s.segmentLength() : n;
        List<Layer> layers = problem.layers();
        Saved[] saved = new Saved[n];
        INDArray[] boundary = new INDArray[n];
        long kept = 0;
        long peakKept = 0;
        long perLayer = 0;
        double work = n * (checkpointing ? 4.0 : 3.0);
        double done = 0;

        // 1) Forward: keep every layer's activations, or only each segment's input.
        INDArray x = problem.x();
        for (int l = 0; l < n; l++) {
            Saved sv = forward(s, layers.get(l), x);
            perLayer = sv.bytes();
            INDArray y = output(sv, layers.get(l));
            if (!checkpointing) {
                saved[l] = sv;
                kept += sv.bytes();
            } else if (l % segment == 0) {
                boundary[l] = x;
                kept += bytes(x);
            }
            peakKept = Math.max(peakKept, kept + (checkpointing ? sv.bytes() : 0));
            x = y;
            control.checkpoint(++done / work);
        }
        double loss = x.mul(problem.upstream()).sumNumber().doubleValue();

        // 2) Backward, layer by layer from the top; with checkpointing, first recompute the
        // segment's activations from its stored input.
        INDArray dy = problem.upstream();
        LayerGrad[] grads = new LayerGrad[n];
        int recomputed = 0;
        for (int end = n; end > 0; end -= segment) {
            int begin = checkpointing ? ((end - 1) / segment) * segment : 0;
            if (checkpointing) {
                INDArray xs = boundary[begin];
                for (int l = begin; l < end; l++) {
                    saved[l] = forward(s, layers.get(l), xs);
                    // The segment's first input is the stored boundary: count it once.
                    kept += saved[l].bytes() - (l == begin ? bytes(xs) : 0);
                    xs = output(saved[l], layers.get(l));
                    recomputed++;
                    control.checkpoint(++done / work);
                }
                peakKept = Math.max(peakKept, kept);
            }
            for (int l = end - 1; l >= begin; l--) {
                INDArray[] g = new INDArray[4];
                dy = backward(s, layers.get(l), saved[l], dy, g);
                grads[l] = new LayerGrad(g[0], g[1], g[2], g[3]);
                kept -= saved[l].bytes() - (checkpointing && l == begin ? bytes(saved[l].x()) : 0);
                saved[l] = null;
                control.checkpoint((done += 2) / work);
            }
            if (checkpointing) {
                kept -= bytes(boundary[begin]);
            }
            if (!checkpointing) {
                break;
            }
        }
        long elapsed = System.nanoTime() - start;

        float[] norms = new float[n * 4];
        for (int l = 0; l < n; l++) {
            LayerGrad g = grads[l];
            INDArray[] all = {g.wq(), g.wk(), g.wv(), g.wo()};
            for (int m = 0; m < 4; m++) {
                norms[l * 4 + m] = all[m].norm2Number().floatValue();
            }
        }
        long forwardFlops = n * s.layerForwardFlops();
        Report report = new Report(checkpointing, segment, peakKept, perLayer, recomputed,
                forwardFlops, recomputed * s.layerForwardFlops(), 2 * forwardFlops, elapsed, loss,
                Arrays4.tensor(dy.castTo(DataType.FLOAT), s.length(), s.modelDim()),
                new Tensor(new long[] {n, 4}, norms));
        return new Run(report, dy, List.of(grads));
    }

    /** The loss of the forward pass alone, Σ X_n ⊙ R, for finite differences. */
    static double loss(StackSpec s, Problem problem) {
        INDArray x = problem.x();
        for (Layer w : problem.layers()) {
            x = output(forward(s, w, x), w);
        }
        return x.mul(problem.upstream()).sumNumber().doubleValue();
    }

    /** One layer's forward pass up to the concatenated heads. */
    private static Saved forward(StackSpec s, Layer w, INDArray x) {
        int len = s.length();
        int h = s.heads();
        int dk = s.headDim();
        INDArray q = split(x.mmul(w.wq()), len, h, dk);                        // [h, L, d_k]
        INDArray k = split(x.mmul(w.wk()), len, h, dk);
        INDArray v = split(x.mmul(w.wv()), len, h, dk);
        INDArray scores = Nd4j.matmul(q, k, false, true, false).muli(1.0 / Math.sqrt(dk));
        INDArray a = Transforms.exp(scores.subi(scores.max(true, 2)), false);  // [h, L, L]
        a.divi(a.sum(true, 2));
        INDArray c = merge(Nd4j.matmul(a, v), len, h, dk);                     // [L, d_model]
        return new Saved(x, q, k, v, a, c);
    }

    private static INDArray output(Saved sv, Layer w) {
        return sv.x().add(sv.c().mmul(w.wo()));
    }

    /**
     * Backpropagates {@code dy = ∂loss/∂X_{l+1}} through one layer; fills {@code g} with the
     * weight gradients and returns {@code ∂loss/∂X_l}. The softmax's Jacobian-vector product is
     * {@code dS = A ⊙ (dA − rowsum(dA ⊙ A))}.
     */
    private static INDArray backward(StackSpec s, Layer w, Saved sv, INDArray dy, INDArray[] g) {
        int len = s.length();
        int h = s.heads();
        int dk = s.headDim();
        g[3] = sv.c().transpose().mmul(dy);                                     // ∂W^O
        INDArray dHead = split(dy.mmul(w.wo().transpose()), len, h, dk);        // [h, L, d_k]
        INDArray dA = Nd4j.matmul(dHead, sv.v(), false, true, false);           // [h, L, L]
        INDArray dV = Nd4j.matmul(sv.a(), dHead, true, false, false);           // [h, L, d_k]
        INDArray rowDot = dA.mul(sv.a()).sum(true, 2);                          // [h, L, 1]
        INDArray dS = sv.a().mul(dA.subi(rowDot)).muli(1.0 / Math.sqrt(dk));
        INDArray dQ = merge(Nd4j.matmul(dS, sv.k()), len, h, dk);               // [L, d_model]
        INDArray dK = merge(Nd4j.matmul(dS, sv.q(), true, false, false), len, h, dk);
        INDArray dVm = merge(dV, len, h, dk);
        INDArray xt = sv.x().transpose();
        g[0] = xt.mmul(dQ);
        g[1] = xt.mmul(dK);
        g[2] = xt.mmul(dVm);
        return dy.add(dQ.mmul(w.wq().transpose())).addi(dK.mmul(w.wk().transpose()))
                .addi(dVm.mmul(w.wv().transpose()));
    }

    private static long bytes(INDArray a) {
        return a.length() * a.dataType().width();
    }

    /** [L, h·d_k] -> [L, h, d_k] -> [h, L, d_k]. */
    private static INDArray split(INDArray m, int len, int h, int dk) {
        return m.reshape(len, h, dk).permute(1, 0, 2).dup('c');
    }

    /** [h, L, d_k] -> [L, h, d_k] -> [L, h·d_k]. */
    private static INDArray merge(INDArray m, int len, int h, int dk) {
        return m.permute(1, 0, 2).dup('c').reshape(len, (long) h * dk);
    }
}
