package dev.mhanotebook.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/** One model per test JVM: loading takes a few seconds. */
final class ModelFixture {
    static final String SAMPLE = "The animal didn't cross the street because it was too tired.";

    private static MiniLm model;

    private ModelFixture() {
    }

    static synchronized MiniLm model() {
        if (model == null) {
            try {
                model = MiniLm.load(Path.of("target", "djl-cache"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return model;
    }
}
