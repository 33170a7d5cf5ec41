package dev.mhanotebook.api;

import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.model.HeadMask;
import dev.mhanotebook.model.MiniLm;
import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Priority;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Holds the pretrained model for the whole process: loaded once at start-up (weights from the
 * ONNX file, tokenizer), then warmed up with one forward pass so the first reader does not wait.
 * Start-up observers finish before the server takes requests.
 */
@Startup
@ApplicationScoped
public class ModelService {

    @ConfigMapping(prefix = "mha.model")
    public interface Config {
        /** Where DJL may copy the tokenizer's native library. */
        @WithDefault("${user.home}/.cache/mha-notebook/djl")
        String cacheDir();
    }

    private final MiniLm model;

    public ModelService(Config config) {
        try {
            model = MiniLm.load(Path.of(config.cacheDir()));
        } catch (IOException e) {
            throw new UncheckedIOException("could not load the pretrained model", e);
        }
    }

    /**
     * Warms the model up once the engine has set ND4J's threads (EngineWarmup observes start-up
     * at the default priority; this runs after it), and logs the load once.
     */
    void warmUp(@Observes @Priority(Interceptor.Priority.APPLICATION + 600) StartupEvent event) {
        long start = System.nanoTime();
        long[] ids = model.tokenize("A short sentence to warm the model up.").ids();
        model.run(ids, HeadMask.none(model.config()), ComputeControl.NONE);
        Log.infof("Model all-MiniLM-L6-v2 (%d layers × %d heads, d_model %d) loaded in %.0f ms, "
                        + "warmed up in %.0f ms, on %s with %d OpenMP threads",
                model.config().layers(), model.config().heads(), model.config().modelDim(),
                model.loadNanos() / 1e6, (System.nanoTime() - start) / 1e6,
                Nd4j.getBackend().getClass().getSimpleName(),
                Nd4j.getEnvironment().maxMasterThreads());
    }

    public MiniLm model() {
        return model;
    }

    @PreDestroy
    void close() {
        model.close();
    }
}
