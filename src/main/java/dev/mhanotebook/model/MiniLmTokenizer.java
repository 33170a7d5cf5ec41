package dev.mhanotebook.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The model's word-piece tokenizer, read from its {@code tokenizer.json} with Hugging Face's
 * tokenizers library (through DJL's bindings). Built once and shared; never reconfigured.
 *
 * <p>Padding is off (one sentence at a time needs none) and truncation is on at
 * {@link MiniLmConfig#maxTokens()}, [CLS] and [SEP] included.
 */
public final class MiniLmTokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    private MiniLmTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Reads {@code tokenizer.json} from {@code in}. DJL copies its native library into
     * {@code cacheDir} (unless {@code DJL_CACHE_DIR} / {@code ENGINE_CACHE_DIR} are already set)
     * and is put in offline mode, so nothing is downloaded.
     */
    public static MiniLmTokenizer read(InputStream in, int maxTokens, Path cacheDir)
            throws IOException {
        Files.createDirectories(cacheDir);
        setIfAbsent("DJL_CACHE_DIR", cacheDir.toString());
        setIfAbsent("ENGINE_CACHE_DIR", cacheDir.toString());
        if (System.getenv("DJL_OFFLINE") == null) {
            setIfAbsent("ai.djl.offline", "true");
        }
        HuggingFaceTokenizer t = HuggingFaceTokenizer.newInstance(in, Map.of(
                "padding", "false",
                "truncation", "true",
                "maxLength", Integer.toString(maxTokens),
                "addSpecialTokens", "true"));
        return new MiniLmTokenizer(t);
    }

    /** DJL reads each setting from the environment first, then from a system property. */
    private static void setIfAbsent(String name, String value) {
        if (System.getenv(name) == null && System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    public Tokenized encode(String text) {
        Encoding e = tokenizer.encode(text);
        return new Tokenized(List.of(e.getTokens()), e.getIds(), e.exceedMaxLength());
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
