package dev.mhanotebook.chapters;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The source files chapters may quote, by file name: the engine's Java sources as the build
 * copied them next to the compiled classes ({@code engine-source/}), and the PyTorch files of
 * {@code content/code/}. {@link ChapterLibrary} reads them; this class only looks them up.
 */
public final class SourceLibrary {
    static final SourceLibrary EMPTY = new SourceLibrary(List.of());

    private final Map<String, SourceFile> files = new TreeMap<>();

    SourceLibrary(Collection<SourceFile> files) {
        for (SourceFile f : files) {
            if (this.files.put(f.name(), f) != null) {
                throw new ChapterException("two source files are called " + f.name());
            }
        }
    }

    public Optional<SourceFile> find(String name) {
        return Optional.ofNullable(files.get(name));
    }

    /** Every file, by name. */
    public Collection<SourceFile> all() {
        return files.values();
    }

    /**
     * The pieces a reference such as {@code VectorizedAttention.java#masked} names; an unknown
     * file or region is a {@link ChapterException}.
     */
    List<SourceFile.Region> resolve(String reference) {
        int hash = reference.indexOf('#');
        if (hash <= 0 || hash == reference.length() - 1) {
            throw new ChapterException("a code reference is FILE#REGION, such as"
                    + " VectorizedAttention.java#masked (was '" + reference + "')");
        }
        String file = reference.substring(0, hash);
        SourceFile source = find(file).orElseThrow(() -> new ChapterException("no source file '"
                + file + "' to quote; known: " + files.keySet()));
        return source.region(reference.substring(hash + 1));
    }
}
