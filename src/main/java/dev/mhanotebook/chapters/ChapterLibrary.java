package dev.mhanotebook.chapters;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The chapters in the classpath folder {@code content/} (the repository's {@code content/}),
 * read and rendered once at start-up so that a broken chapter stops the app instead of a reader.
 * The only class that reads {@code content/}.
 *
 * <p>A file is named {@code NN-slug.md}: {@code NN} orders the chapters, {@code slug} is the URL.
 */
@Startup
@ApplicationScoped
public class ChapterLibrary {
    private static final Pattern FILE_NAME = Pattern.compile("(\\d+)-([a-z0-9-]+)\\.md");
    private static final String FOLDER = "content";

    private List<Chapter> chapters = List.of();

    @PostConstruct
    void load() {
        long start = System.nanoTime();
        ChapterMarkdown markdown =
                new ChapterMarkdown(view -> ChapterTemplates.experiment(view).render());
        List<Chapter> loaded = new ArrayList<>();
        readFolder((name, text) -> {
            Matcher m = FILE_NAME.matcher(name);
            if (!m.matches()) {
                throw new ChapterException(FOLDER + "/" + name
                        + " must be named NN-slug.md, e.g. 03-scaled-dot-product-attention.md");
            }
            try {
                loaded.add(markdown.render(m.group(2), Integer.parseInt(m.group(1)), text));
            } catch (ChapterException e) {
                throw new ChapterException(FOLDER + "/" + name + ": " + e.getMessage());
            }
        });
        loaded.sort(Comparator.comparingInt(Chapter::order));
        chapters = List.copyOf(loaded);
        Log.infof("Chapters loaded: %d from %s/ in %d ms", chapters.size(), FOLDER,
                (System.nanoTime() - start) / 1_000_000);
    }

    /** Every chapter, in reading order. */
    public List<Chapter> all() {
        return chapters;
    }

    public Optional<Chapter> find(String slug) {
        return chapters.stream().filter(c -> c.slug().equals(slug)).findFirst();
    }

    /** The chapter before and after {@code chapter}, each empty at the ends. */
    public Optional<Chapter> neighbour(Chapter chapter, int step) {
        int i = chapters.indexOf(chapter) + step;
        return i >= 0 && i < chapters.size() ? Optional.of(chapters.get(i)) : Optional.empty();
    }

    private interface FileConsumer {
        void accept(String name, String text);
    }

    /** Reads every {@code .md} file of the folder, from a directory (tests) or a jar (packaged). */
    private static void readFolder(FileConsumer consumer) {
        URL url = Thread.currentThread().getContextClassLoader().getResource(FOLDER);
        if (url == null) {
            throw new ChapterException("no folder " + FOLDER + "/ on the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    readDirectory(jar.getPath(FOLDER), consumer);
                }
            } else {
                readDirectory(Path.of(uri), consumer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read " + url, e);
        }
    }

    private static void readDirectory(Path folder, FileConsumer consumer) throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replaceAll("/$", "");
            consumer.accept(name, Files.readString(file, StandardCharsets.UTF_8));
        }
    }
}
