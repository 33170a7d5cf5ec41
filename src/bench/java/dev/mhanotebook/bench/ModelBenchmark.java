package dev.mhanotebook.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.NativeOps;
import dev.mhanotebook.model.HeadMask;
import dev.mhanotebook.model.MiniLm;
import dev.mhanotebook.model.ModelRun;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * all-MiniLM-L6-v2 on one sentence of 16 or 128 tokens: our ND4J forward pass capturing the
 * attention of every layer and head, against ONNX Runtime running the same ONNX file (which
 * returns the last hidden state only). Both with one thread per operation, as the server runs.
 */
@State(Scope.Benchmark)
public class ModelBenchmark {

    @Param({"16", "128"})
    public int tokens;

    MiniLm model;
    long[] ids;
    HeadMask none;
    OrtEnvironment env;
    OrtSession session;
    Map<String, OnnxTensor> feeds;

    @Setup
    public void setUp() throws IOException, OrtException {
        Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        NativeOps.useThreads(1);
        model = MiniLm.load(Path.of("target", "djl-cache"));
        none = HeadMask.none(model.config());
        // [CLS] + (tokens − 2) words + [SEP]; the word ids do not change the arithmetic.
        long[] words = model.tokenize("attention ".repeat(tokens)).ids();
        ids = Arrays.copyOf(words, tokens);
        ids[tokens - 1] = words[words.length - 1];

        env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        try (InputStream in = MiniLm.class.getClassLoader()
                .getResourceAsStream(MiniLm.MODEL_RESOURCE)) {
            session = env.createSession(in.readAllBytes(), options);
        }
        long[][] mask = {new long[tokens]};
        Arrays.fill(mask[0], 1);
        feeds = Map.of("input_ids", OnnxTensor.createTensor(env, new long[][] {ids}),
                "attention_mask", OnnxTensor.createTensor(env, mask),
                "token_type_ids", OnnxTensor.createTensor(env, new long[][] {new long[tokens]}));
    }

    @Benchmark
    public ModelRun nd4jWithAttention() {
        return model.run(ids, none, ComputeControl.NONE);
    }

    @Benchmark
    public Object onnxRuntime() throws OrtException {
        try (OrtSession.Result r = session.run(feeds)) {
            return r.get("last_hidden_state").get().getValue();
        }
    }

    @TearDown
    public void tearDown() throws OrtException {
        for (OnnxTensor t : feeds.values()) {
            t.close();
        }
        session.close();
        model.close();
    }
}
