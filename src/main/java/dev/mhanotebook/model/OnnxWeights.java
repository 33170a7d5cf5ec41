package dev.mhanotebook.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import onnx.Onnx;
import org.nd4j.shade.protobuf.CodedInputStream;

/**
 * The float32 initializers of an ONNX graph, read with the ONNX protobuf classes that nd4j-api
 * ships ({@code onnx.Onnx}, on ND4J's shaded protobuf). Nothing of the graph is executed: only
 * its weights are kept, under readable names.
 *
 * <p>PyTorch's exporter leaves the weight matrices of {@code nn.Linear} layers unnamed
 * ({@code onnx::MatMul_1234}, stored transposed as [in, out]); each such initializer is renamed
 * after the MatMul node that consumes it ({@code /encoder/layer.0/attention/self/query/MatMul}).
 * Biases and LayerNorm parameters keep the names they already have
 * ({@code encoder.layer.0.attention.self.query.bias}).
 */
public final class OnnxWeights {
    /** The largest model this reader accepts; protobuf's default limit is 64 MiB. */
    static final int MAX_BYTES = 512 << 20;

    private final Map<String, Param> params;

    /** One initializer: its shape and its values in row-major order. */
    public record Param(String name, long[] shape, float[] data) {
        @Override
        public String toString() {
            return name + Arrays.toString(shape);
        }
    }

    private OnnxWeights(Map<String, Param> params) {
        this.params = params;
    }

    /** Reads every float32 initializer of the model in {@code in}, which it does not close. */
    public static OnnxWeights read(InputStream in) throws IOException {
        CodedInputStream coded = CodedInputStream.newInstance(in);
        coded.setSizeLimit(MAX_BYTES);
        Onnx.ModelProto model = Onnx.ModelProto.parseFrom(coded);
        Onnx.GraphProto graph = model.getGraph();

        Map<String, String> consumer = new HashMap<>();
        for (Onnx.NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("MatMul")) {
                for (String input : node.getInputList()) {
                    consumer.put(input, node.getName());
                }
            }
        }

        Map<String, Param> params = new LinkedHashMap<>();
        for (Onnx.TensorProto t : graph.getInitializerList()) {
            if (t.getDataType() != Onnx.TensorProto.DataType.FLOAT_VALUE) {
                continue;
            }
            String name = t.getName();
            if (name.startsWith("onnx::MatMul_") && consumer.containsKey(name)) {
                name = consumer.get(name);
            }
            params.put(name, new Param(name, dims(t), floats(t)));
        }
        return new OnnxWeights(params);
    }

    private static long[] dims(Onnx.TensorProto t) {
        long[] shape = new long[t.getDimsCount()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.getDims(i);
        }
        return shape;
    }

    private static float[] floats(Onnx.TensorProto t) {
        if (t.getDataLocation() == Onnx.TensorProto.DataLocation.EXTERNAL) {
            throw new IllegalArgumentException(
                    "initializer " + t.getName() + " keeps its data in an external file, "
                            + "which this reader does not support");
        }
        if (!t.getRawData().isEmpty()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            float[] data = new float[raw.remaining() / Float.BYTES];
            raw.asFloatBuffer().get(data);
            return data;
        }
        float[] data = new float[t.getFloatDataCount()];
        for (int i = 0; i < data.length; i++) {
            data[i] = t.getFloatData(i);
        }
        return data;
    }

    /** All initializers, in the order the file lists them. */
    public List<Param> all() {
        return List.copyOf(params.values());
    }

    /** The initializer called {@code name}, checked to have {@code shape}. */
    public Param get(String name, long... shape) {
        Param p = params.get(name);
        if (p == null) {
            throw new IllegalArgumentException("the model has no weight named " + name);
        }
        if (!Arrays.equals(p.shape(), shape)) {
            throw new IllegalArgumentException("weight " + name + " has shape "
                    + Arrays.toString(p.shape()) + ", expected " + Arrays.toString(shape));
        }
        return p;
    }
}
