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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.quarkus.logging.Log;
import io.quarkus.runtime.Startup;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The chapters in the classpath folder {@code content/} (the repository's {@code content/}),
 * read and rendered once at start-up so that a broken chapter stops the app instead of a reader.
 * The only class that reads {@code content/}.
 *
 * <p>A file is named {@code NN-slug.md}: {@code NN} orders the chapters, {@code slug} is the URL.
 * Chapters named in {@code mha.chapters.hidden} are read and checked but not served.
 *
 * <p>The code panels quote the {@code .py} files of {@code content/code/} and the engine's Java
 * sources, which the build copies from {@code src/main/java/dev/mhanotebook/engine} into the
 * classpath folder {@code engine-source/} (pom.xml), so that a page shows the lines that were
 * compiled into the app.
 */
@Startup
@ApplicationScoped
public class ChapterLibrary {
    private static final Pattern FILE_NAME = Pattern.compile("(\\d+)-([a-z0-9-]+)\\.md");
    private static final String FOLDER = "content";
    private static final String CODE_FOLDER = "content/code";
    private static final String ENGINE_SOURCE_FOLDER = "engine-source";

    /** Slugs of the chapters a teacher hides (see {@link HiddenChapters}). */
    @ConfigProperty(name = HiddenChapters.PROPERTY)
    Optional<List<String>> hiddenSetting;

    private List<Chapter> chapters = List.of();
    private SourceLibrary sources = SourceLibrary.EMPTY;
    private Formulas formulas;
    /** Each chapter's body as served: its HTML with the formulas the build typeset. */
    private Map<String, String> bodies = Map.of();

    @PostConstruct
    void load() {
        long start = System.nanoTime();
        sources = readSources();
        Map<String, String> files = files();
        chapters = shown(files, hiddenSetting.orElse(List.of()),
                view -> ChapterTemplates.experiment(view).render(), sources);
        formulas = Formulas.load();
        chapters = chapters.stream().map(c -> c.typesetToc(formulas)).toList();
        Map<String, String> typeset = new LinkedHashMap<>();
        int left = 0;
        for (Chapter c : chapters) {
            String body = formulas.typeset(c.html());
            left += Formulas.find(body).size();
            typeset.put(c.slug(), body);
        }
        bodies = Map.copyOf(typeset);
        Log.infof("Chapters loaded: %d of %d from %s/, quoting %d source files, %d formulas"
                + " typeset by the build (KaTeX %s), %d left to the browser, in %d ms%s",
                chapters.size(), files.size(), FOLDER, sources.all().size(), formulas.size(),
                formulas.katexVersion().isEmpty() ? "none" : formulas.katexVersion(), left,
                (System.nanoTime() - start) / 1_000_000,
                chapters.size() < files.size()
                        ? ", hidden by " + HiddenChapters.PROPERTY + ": "
                                + String.join(",", hiddenSetting.get()).replace(" ", "")
                        : "");
    }

    /**
     * Renders every chapter file (so a broken hidden chapter still stops the app) and keeps the
     * ones not hidden, in reading order.
     *
     * @param files          file name to Markdown, e.g. {@code 03-scaled-dot-product-attention.md}
     * @param hiddenSetting  the slugs of {@code mha.chapters.hidden}
     * @param experimentHtml the HTML of an experiment's form
     * @param sources        the files the code panels may quote
     * @throws ChapterException for a badly named or broken file, or an unknown hidden slug
     */
    static List<Chapter> shown(Map<String, String> files, List<String> hiddenSetting,
            Function<ExperimentView, String> experimentHtml, SourceLibrary sources) {
        record Named(String file, String slug, int order, String text) {
        }
        List<Named> named = new ArrayList<>();
        files.forEach((name, text) -> {
            Matcher m = FILE_NAME.matcher(name);
            if (!m.matches()) {
                throw new ChapterException(FOLDER + "/" + name
                        + " must be named NN-slug.md, e.g. 03-scaled-dot-product-attention.md");
            }
            named.add(new Named(name, m.group(2), Integer.parseInt(m.group(1)), text));
        });
        named.sort(Comparator.comparingInt(Named::order));
        HiddenChapters hidden =
                HiddenChapters.of(hiddenSetting, named.stream().map(Named::slug).toList());

        ChapterMarkdown markdown = new ChapterMarkdown(experimentHtml, sources, hidden);
        List<Chapter> shown = new ArrayList<>();
        for (Named n : named) {
            Chapter chapter;
            try {
                chapter = markdown.render(n.slug(), n.order(), n.text());
            } catch (ChapterException e) {
                throw new ChapterException(FOLDER + "/" + n.file() + ": " + e.getMessage());
            }
            if (!hidden.hides(chapter.slug())) {
                shown.add(chapter);
            }
        }
        return List.copyOf(shown);
    }

    /** {@link #shown(Map, List, Function, SourceLibrary)} quoting the app's own sources. */
    static List<Chapter> shown(Map<String, String> files, List<String> hiddenSetting,
            Function<ExperimentView, String> experimentHtml) {
        return shown(files, hiddenSetting, experimentHtml, readSources());
    }

    /** Every chapter file of the classpath folder {@code content/}: file name to Markdown. */
    static Map<String, String> files() {
        Map<String, String> files = new LinkedHashMap<>();
        readFolder(FOLDER, ".md", files::put);
        return files;
    }

    /** The engine's Java sources as the build copied them and the PyTorch files of content/. */
    static SourceLibrary readSources() {
        List<SourceFile> files = new ArrayList<>();
        readFolder(ENGINE_SOURCE_FOLDER, ".java",
                (name, text) -> files.add(SourceFile.parse(name, text)));
        readFolder(CODE_FOLDER, ".py", (name, text) -> files.add(SourceFile.parse(name, text)));
        return new SourceLibrary(files);
    }

    /** The source files the chapters may quote. */
    public SourceLibrary sources() {
        return sources;
    }

    /** {@code chapter}'s body as a page shows it: its HTML with its formulas typeset. */
    public String body(Chapter chapter) {
        return bodies.getOrDefault(chapter.slug(), chapter.html());
    }

    /** The formulas the build typeset, for the other pages with math. */
    public Formulas formulas() {
        return formulas;
    }

    /** Every chapter shown, in reading order. */
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

    /**
     * Reads every file of the classpath folder whose name ends with {@code suffix}, from a
     * directory (tests) or a jar (packaged).
     */
    private static void readFolder(String folder, String suffix, FileConsumer consumer) {
        URL url = Thread.currentThread().getContextClassLoader().getResource(folder);
        if (url == null) {
            throw new ChapterException("no folder " + folder + "/ on the classpath");
        }
        try {
            URI uri = url.toURI();
            if ("jar".equals(uri.getScheme())) {
                try (FileSystem jar = FileSystems.newFileSystem(uri, Map.of())) {
                    readDirectory(jar.getPath(folder), suffix, consumer);
                }
            } else {
                readDirectory(Path.of(uri), suffix, consumer);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + url, e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot read " + url, e);
        }
    }

    private static void readDirectory(Path folder, String suffix, FileConsumer consumer)
            throws IOException {
        List<Path> files;
        try (Stream<Path> list = Files.list(folder)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted()
                    .toList();
        }
        for (Path file : files) {
            String name = file.getFileName().toString().replaceAll("/$", "");
            consumer.accept(name, Files.readString(file, StandardCharsets.UTF_8));
        }
    }
}
