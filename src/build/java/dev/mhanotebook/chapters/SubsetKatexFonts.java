package dev.mhanotebook.chapters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TTFSubsetter;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.jsoup.Jsoup;

/**
 * Cuts KaTeX's fonts down to the characters the typeset formulas draw, so that a page with math
 * fetches a few kilobytes of font instead of KaTeX's whole fonts (the four most pages need come
 * to 79 KB as WOFF2). Run by {@link TypesetFormulas} once the table of typeset formulas is ready.
 *
 * <p>The characters are the text of KaTeX's HTML in every formula of the table (the visible
 * part; the MathML beside it is drawn in the browser's own math font). Each of KaTeX's TrueType
 * fonts (the WebJar's {@code dist/fonts/*.ttf}) is cut to those of its characters with Apache
 * FontBox's subsetter. The subsets are declared after KaTeX's own {@code @font-face} rules with a
 * {@code unicode-range} of the drawn characters; a browser takes the last declared face whose
 * range covers a character, so a formula typeset here draws from the subsets alone, and one the
 * browser typesets with a character outside them (a shape-trace formula) makes the browser fetch
 * KaTeX's full font for that character, as before. The range is every drawn character, also in a
 * face that lacks some of them: a subset holds every drawn character its full font holds, so for
 * the others the full font has no glyph either, and claiming them spares the browser fetching a
 * whole font to find that out (KaTeX writes a zero-width space, U+200B, which none of its fonts
 * holds, into many formulas).
 *
 * <p>Writes {@code META-INF/resources/katex-fonts/VERSION-HASH/*.ttf} (served at
 * {@code /katex-fonts/...}; the hash is of the subsets' bytes, so a path never changes content
 * and browsers may keep it a year) and the list {@value KatexFonts#RESOURCE} that the pages read.
 * Subsets of an earlier build are removed.
 */
final class SubsetKatexFonts {
    /** The tables a browser needs to draw a TrueType font (OpenType Sanitizer's required set). */
    private static final List<String> TABLES = List.of("head", "hhea", "maxp", "hmtx", "loca",
            "glyf", "cmap", "post", "name", "OS/2");

    /** {@code KaTeX_Main-BoldItalic.ttf}: family {@code Main}, style {@code BoldItalic}. */
    private static final Pattern FONT_FILE = Pattern.compile("KaTeX_([A-Za-z0-9]+)-([A-Za-z]+)\\.ttf");

    private SubsetKatexFonts() {
    }

    /** Writes the subsets for the formulas of {@code table} into {@code classes}. */
    static void write(Path classes, Formulas.Table table) throws IOException {
        SortedSet<Integer> drawn = drawnCharacters(table);
        String fontsFolder = "META-INF/resources/webjars/katex/" + table.katex() + "/dist/fonts/";
        String range = unicodeRange(drawn);
        Map<String, byte[]> files = new LinkedHashMap<>();
        List<KatexFonts.Face> faces = new ArrayList<>();
        for (String file : fontFiles(fontsFolder)) {
            Matcher name = FONT_FILE.matcher(file);
            if (!name.matches()) {
                throw new IllegalStateException("Unexpected KaTeX font name " + file);
            }
            TrueTypeFont font;
            try (InputStream in = resource(fontsFolder + file)) {
                font = new TTFParser().parse(new RandomAccessReadBuffer(in));
            }
            try (font) {
                CmapLookup cmap = font.getUnicodeCmapLookup();
                SortedSet<Integer> held = new TreeSet<>();
                for (int c : drawn) {
                    if (cmap.getGlyphId(c) != 0) {
                        held.add(c);
                    }
                }
                if (held.isEmpty()) {
                    continue;
                }
                TTFSubsetter subsetter = new TTFSubsetter(font, TABLES);
                held.forEach(subsetter::add);
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                subsetter.writeToStream(bytes);
                files.put(file, bytes.toByteArray());
                String style = name.group(2);
                faces.add(new KatexFonts.Face("KaTeX_" + name.group(1),
                        style.contains("Bold") ? 700 : 400,
                        style.contains("Italic") ? "italic" : "normal", file, range));
            }
        }
        String folder = table.katex() + "-" + hash(files);
        Path root = classes.resolve("META-INF/resources/" + KatexFonts.FOLDER);
        removeOtherFolders(root, folder);
        Path target = root.resolve(folder);
        Files.createDirectories(target);
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            Path out = target.resolve(f.getKey());
            if (!Files.exists(out) || !Arrays.equals(Files.readAllBytes(out),
                    f.getValue())) {
                Files.write(out, f.getValue());
            }
        }
        KatexFonts.Subsets subsets = new KatexFonts.Subsets("/" + KatexFonts.FOLDER + "/"
                + folder, faces);
        Path list = classes.resolve(KatexFonts.RESOURCE);
        Files.createDirectories(list.getParent());
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValue(list.toFile(), subsets);
        long fontBytes = files.values().stream().mapToLong(b -> b.length).sum();
        System.out.printf("SubsetKatexFonts: %d characters, %d of KaTeX's fonts cut to %d bytes"
                + " in %s%n", drawn.size(), files.size(), fontBytes, target);
    }

    /**
     * Every character of the visible (HTML) part of every typeset formula, and the printable
     * ASCII characters besides, so that a formula the browser typesets from plain letters, digits
     * and signs (the shape trace's) finds them in the subsets too.
     */
    static SortedSet<Integer> drawnCharacters(Formulas.Table table) {
        SortedSet<Integer> drawn = new TreeSet<>();
        for (int c = 0x20; c <= 0x7e; c++) {
            drawn.add(c);
        }
        // wholeText, not text: text() drops the zero-width spaces KaTeX writes.
        Stream.concat(table.inline().values().stream(), table.display().values().stream())
                .forEach(html -> Jsoup.parseBodyFragment(html).select(".katex-html")
                        .forEach(e -> e.wholeText().codePoints().filter(c -> c >= 0x20)
                                .forEach(drawn::add)));
        return drawn;
    }

    /** {@code U+20,U+28-29,...}: the CSS unicode-range of exactly {@code codePoints}. */
    static String unicodeRange(SortedSet<Integer> codePoints) {
        List<String> ranges = new ArrayList<>();
        int start = -1;
        int end = -1;
        for (int c : codePoints) {
            if (c == end + 1) {
                end = c;
                continue;
            }
            if (start >= 0) {
                ranges.add(range(start, end));
            }
            start = c;
            end = c;
        }
        if (start >= 0) {
            ranges.add(range(start, end));
        }
        return String.join(",", ranges);
    }

    private static String range(int start, int end) {
        return start == end ? String.format("U+%X", start)
                : String.format("U+%X-%X", start, end);
    }

    private static List<String> fontFiles(String folder) throws IOException {
        // The WebJar is a jar on the class path: list the fonts its CSS names, by KaTeX's
        // naming, rather than walking a jar.
        String css;
        String cssPath = folder.replace("/fonts/", "/katex.min.css");
        try (InputStream in = resource(cssPath)) {
            css = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        TreeSet<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("fonts/(KaTeX_[A-Za-z0-9]+-[A-Za-z]+)\\.ttf").matcher(css);
        while (m.find()) {
            names.add(m.group(1) + ".ttf");
        }
        if (names.isEmpty()) {
            throw new IllegalStateException(cssPath + " names no TrueType fonts");
        }
        return List.copyOf(names);
    }

    private static InputStream resource(String path) {
        InputStream in = SubsetKatexFonts.class.getClassLoader().getResourceAsStream(path);
        if (in == null) {
            throw new IllegalStateException(path + " is not on the class path");
        }
        return in;
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            files.forEach((name, bytes) -> {
                sha.update(name.getBytes(StandardCharsets.UTF_8));
                sha.update(bytes);
            });
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void removeOtherFolders(Path root, String keep) throws IOException {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> folders = Files.list(root)) {
            for (Path old : folders.filter(p -> !p.getFileName().toString().equals(keep))
                    .toList()) {
                try (Stream<Path> tree = Files.walk(old)) {
                    for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
