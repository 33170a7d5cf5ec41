package dev.mhanotebook.chapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * Region markers: how {@link SourceFile} cuts a file, the markers it refuses, and that every
 * region a chapter in content/ names exists and is, byte for byte, the lines of the repository's
 * own source file between its markers.
 */
class SourceRegionsTest {
    private static final Pattern CODE_BLOCK = Pattern.compile("(?ms)^```code\\n(.*?)^```");
    private static final Pattern REFERENCES = Pattern.compile("(?m)^(java|pytorch):(.*)$");

    @Test
    void regionsAreTheLinesBetweenTheirMarkersWithTheirLineNumbers() {
        SourceFile f = SourceFile.parse("Demo.java", String.join("\n",
                "class Demo {",                     // 1
                "    // step: scores",              // 2
                "    int a = 1;",                   // 3
                "",                                 // 4
                "    int b = 2;",                   // 5
                "    // end step: scores",          // 6
                "    // step: output",              // 7
                "    int c = 3;",                   // 8
                "    // end step: output",          // 9
                "    // step: scores",              // 10
                "        int d = 4;",               // 11
                "    // end step: scores",          // 12
                "}", ""));
        assertEquals(List.of("scores", "output"), List.copyOf(f.regions().keySet()));
        List<SourceFile.Region> scores = f.region("scores");
        assertEquals(2, scores.size(), "a name may mark several pieces");
        assertEquals(3, scores.get(0).firstLine());
        assertEquals(5, scores.get(0).lastLine());
        assertEquals("    int a = 1;\n\n    int b = 2;", scores.get(0).text());
        assertEquals("int a = 1;\n\nint b = 2;", scores.get(0).dedented());
        assertEquals("Demo.java, lines 3–5", scores.get(0).label());
        assertEquals("Demo.java, line 11", scores.get(1).label());
        assertEquals(13, f.lines().size());
        assertEquals("java", f.language());
        assertEquals(List.of(3, 8, 11), f.pieces().stream().map(SourceFile.Region::firstLine)
                .toList());
    }

    @Test
    void pythonMarkersUseHashComments() {
        SourceFile f = SourceFile.parse("demo.py",
                "x = 1\n# step: q\nq = x @ w\n# end step: q\n// step: not-a-marker\n");
        assertEquals("q = x @ w", f.region("q").get(0).text());
        assertEquals("python", f.language());
        assertEquals(List.of("q"), List.copyOf(f.regions().keySet()));
    }

    @Test
    void misplacedMarkersStopTheLoadWithTheLine() {
        assertEquals("A.java line 3: region 'b' opens inside 'a' (opened at line 1); regions do"
                + " not nest", assertThrows(ChapterException.class, () -> SourceFile.parse(
                        "A.java", "// step: a\nx;\n// step: b\n")).getMessage());
        assertEquals("A.java line 1: region 'a' is never closed",
                assertThrows(ChapterException.class,
                        () -> SourceFile.parse("A.java", "// step: a\nx;\n")).getMessage());
        assertEquals("A.java line 3: 'end step: b' closes 'a' (opened at line 1)",
                assertThrows(ChapterException.class, () -> SourceFile.parse("A.java",
                        "// step: a\nx;\n// end step: b\n")).getMessage());
        assertEquals("A.java line 1: 'end step: a' closes no open region",
                assertThrows(ChapterException.class,
                        () -> SourceFile.parse("A.java", "// end step: a\n")).getMessage());
        assertEquals("A.java line 2: region 'a' is empty", assertThrows(ChapterException.class,
                () -> SourceFile.parse("A.java", "// step: a\n// end step: a\n")).getMessage());
        assertTrue(assertThrows(ChapterException.class, () -> SourceFile.parse("A.java",
                "// step: a b\n")).getMessage().startsWith("A.java line 1: a region name"));
    }

    @Test
    void unknownFilesAndRegionsAreRefusedByName() {
        SourceLibrary sources = ChapterLibrary.readSources();
        assertEquals("no region 'nope' in Masks.java; it marks [masked]",
                assertThrows(ChapterException.class,
                        () -> sources.resolve("Masks.java#nope")).getMessage());
        assertTrue(assertThrows(ChapterException.class,
                () -> sources.resolve("Nope.java#masked")).getMessage()
                .startsWith("no source file 'Nope.java' to quote; known: ["));
        ChapterMarkdown markdown = new ChapterMarkdown(view -> "", sources);
        assertEquals("code panel 'x': no region 'nope' in VectorizedAttention.java; it marks"
                + " [scores, scaled, masked, attention, headOutputs, project, splitHeads, concat,"
                + " output]", assertThrows(ChapterException.class, () -> markdown.render("t", 1,
                        "# T\n\n```code\nid: x\njava: VectorizedAttention.java#nope\n"
                                + "pytorch: components.py#masked\n```\n")).getMessage());
        assertEquals("code panel line 2 must be 'key: value' (was 'Masks.java')",
                assertThrows(ChapterException.class, () -> markdown.render("t", 1,
                        "# T\n\n```code\nid: x\nMasks.java\n```\n")).getMessage());
        assertEquals("code panel 'x': pytorch names .py files only (was 'Masks.java#masked')",
                assertThrows(ChapterException.class, () -> markdown.render("t", 1,
                        "# T\n\n```code\nid: x\njava: Masks.java#masked\n"
                                + "pytorch: Masks.java#masked\n```\n")).getMessage());
    }

    /** The build's copy on the classpath is the repository's engine source, byte for byte. */
    @Test
    void theCopyTheAppReadsIsTheCompiledSource() throws IOException {
        SourceLibrary sources = ChapterLibrary.readSources();
        List<Path> engine;
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/mhanotebook/engine"))) {
            engine = files.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        }
        for (Path file : engine) {
            SourceFile copy = sources.find(file.getFileName().toString()).orElseThrow();
            assertEquals(Files.readString(file, StandardCharsets.UTF_8).lines().toList(),
                    copy.lines(), file.toString());
        }
    }

    @Test
    void everyRegionNamedInContentExistsAndIsTheRealLines() throws IOException {
        SourceLibrary sources = ChapterLibrary.readSources();
        List<String> references = new ArrayList<>();
        try (Stream<Path> chapters = Files.list(Path.of("content"))) {
            for (Path chapter : chapters.filter(p -> p.toString().endsWith(".md")).toList()) {
                Matcher block = CODE_BLOCK.matcher(Files.readString(chapter));
                while (block.find()) {
                    Matcher refs = REFERENCES.matcher(block.group(1));
                    while (refs.find()) {
                        for (String r : refs.group(2).split(",")) {
                            references.add(r.strip());
                        }
                    }
                }
            }
        }
        assertTrue(references.size() >= 12, "the chapters quote code: " + references);
        for (String reference : references) {
            String file = reference.substring(0, reference.indexOf('#'));
            String region = reference.substring(reference.indexOf('#') + 1);
            Path real = file.endsWith(".java")
                    ? Path.of("src/main/java/dev/mhanotebook/engine", file)
                    : Path.of("content/code", file);
            List<String> lines = Files.readString(real, StandardCharsets.UTF_8).lines().toList();
            String comment = file.endsWith(".java") ? "// " : "# ";
            List<SourceFile.Region> pieces = sources.resolve(reference);
            assertFalse(pieces.isEmpty(), reference);
            int from = 0;
            for (SourceFile.Region piece : pieces) {
                int open = indexOf(lines, comment + "step: " + region, from);
                int close = indexOf(lines, comment + "end step: " + region, open);
                assertTrue(open >= 0 && close > open, reference + " has its markers in " + real);
                assertEquals(open + 2, piece.firstLine(), reference + " first line");
                assertEquals(close, piece.lastLine(), reference + " last line");
                assertEquals(String.join("\n", lines.subList(open + 1, close)), piece.text(),
                        reference + " is the lines between its markers");
                from = close + 1;
            }
            assertEquals(-1, indexOf(lines, comment + "step: " + region, from),
                    reference + ": every piece shown");
        }
    }

    private static int indexOf(List<String> lines, String marker, int from) {
        for (int i = Math.max(from, 0); i < lines.size(); i++) {
            if (lines.get(i).strip().equals(marker)) {
                return i;
            }
        }
        return -1;
    }
}
