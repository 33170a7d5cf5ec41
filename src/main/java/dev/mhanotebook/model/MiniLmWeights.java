package dev.mhanotebook.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The learned parameters of the encoder as ND4J arrays, read-only once built: every forward pass
 * shares them, so nothing may write into them (INDArray is not thread-safe).
 *
 * <p>Matrices are [in, out] as the ONNX file stores them, so a projection is {@code x · w + b}
 * with {@code x} one row per token; the feed-forward matrices w1 and w2 are kept column-major,
 * the layout in which OpenBLAS multiplies a few rows by them fastest ({@link Encoder}).
 *
 * @param wordEmbeddings      [vocab, d_model]
 * @param positionEmbeddings  [maxPositions, d_model]
 * @param tokenTypeEmbeddings [2, d_model]; a single sentence uses row 0
 * @param lnGamma             [d_model], the embeddings' LayerNorm
 * @param lnBeta              [d_model]
 * @param layers              one entry per encoder layer
 */
public record MiniLmWeights(
        INDArray wordEmbeddings,
        INDArray positionEmbeddings,
        INDArray tokenTypeEmbeddings,
        INDArray lnGamma,
        INDArray lnBeta,
        List<Layer> layers) {

    /**
     * One encoder layer: self-attention with its LayerNorm, then the feed-forward block
     * (w1, b1, w2, b2) with its LayerNorm. The query, key and value projections are kept side by
     * side, [W^Q | W^K | W^V], so that one matrix product computes all three: at one sentence's
     * size the number of native operations, not the arithmetic, sets the time.
     */
    public record Layer(
            INDArray wqkv, INDArray bqkv,         // [d_model, 3·d_model], [3·d_model]
            INDArray wo, INDArray bo,             // [d_model, d_model], [d_model]
            INDArray ln1Gamma, INDArray ln1Beta,  // [d_model]
            INDArray w1, INDArray b1,             // [d_model, ffn], [ffn]
            INDArray w2, INDArray b2,             // [ffn, d_model], [d_model]
            INDArray ln2Gamma, INDArray ln2Beta) {
    }

    /** Picks the encoder's weights out of the ONNX initializers by name, checking every shape. */
    public static MiniLmWeights from(OnnxWeights onnx, MiniLmConfig c) {
        long d = c.modelDim();
        long f = c.ffnDim();
        List<Layer> layers = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            String n = "encoder.layer." + l + ".";
            String m = "/encoder/layer." + l + "/";
            INDArray wq = array(onnx.get(m + "attention/self/query/MatMul", d, d));
            INDArray wk = array(onnx.get(m + "attention/self/key/MatMul", d, d));
            INDArray wv = array(onnx.get(m + "attention/self/value/MatMul", d, d));
            INDArray bq = array(onnx.get(n + "attention.self.query.bias", d));
            INDArray bk = array(onnx.get(n + "attention.self.key.bias", d));
            INDArray bv = array(onnx.get(n + "attention.self.value.bias", d));
            layers.add(new Layer(
                    Nd4j.hstack(wq, wk, wv),
                    Nd4j.concat(0, bq, bk, bv),
                    array(onnx.get(m + "attention/output/dense/MatMul", d, d)),
                    array(onnx.get(n + "attention.output.dense.bias", d)),
                    array(onnx.get(n + "attention.output.LayerNorm.weight", d)),
                    array(onnx.get(n + "attention.output.LayerNorm.bias", d)),
                    array(onnx.get(m + "intermediate/dense/MatMul", d, f)).dup('f'),
                    array(onnx.get(n + "intermediate.dense.bias", f)),
                    array(onnx.get(m + "output/dense/MatMul", f, d)).dup('f'),
                    array(onnx.get(n + "output.dense.bias", d)),
                    array(onnx.get(n + "output.LayerNorm.weight", d)),
                    array(onnx.get(n + "output.LayerNorm.bias", d))));
        }
        return new MiniLmWeights(
                array(onnx.get("embeddings.word_embeddings.weight", c.vocab(), d)),
                array(onnx.get("embeddings.position_embeddings.weight", c.maxPositions(), d)),
                array(onnx.get("embeddings.token_type_embeddings.weight", 2, d)),
                array(onnx.get("embeddings.LayerNorm.weight", d)),
                array(onnx.get("embeddings.LayerNorm.bias", d)),
                List.copyOf(layers));
    }

    private static INDArray array(OnnxWeights.Param p) {
        return Nd4j.create(p.data(), p.shape(), 'c');
    }
}
