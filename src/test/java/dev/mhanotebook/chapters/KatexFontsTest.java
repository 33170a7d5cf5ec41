package dev.mhanotebook.chapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.geom.PathIterator;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.apache.fontbox.ttf.CmapLookup;
import org.apache.fontbox.ttf.GlyphData;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.io.RandomAccessReadBuffer;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;

/**
 * The subsets of KaTeX's fonts the build wrote (SubsetKatexFonts) stand in for KaTeX's full
 * faces on the characters they claim: same faces, same glyphs where the full font has one, and
 * every character a typeset formula draws is claimed.
 */
class KatexFontsTest {
    private static final KatexFonts.Subsets SUBSETS = KatexFonts.load();
    private static final String KATEX = "META-INF/resources" + WebJars.root("katex") + "/dist/";

    /** The faces {@code katex.min.css} declares, as {@code family style weight file.ttf}. */
    private static Set<String> katexFaces() throws IOException {
        String css = read(KATEX + "katex.min.css");
        Set<String> faces = new TreeSet<>();
        Matcher face = Pattern.compile("@font-face\\{font-family:\"?([A-Za-z0-9_]+)\"?;font-style:"
                + "([a-z]+);font-weight:(\\d+);src:[^}]*fonts/(KaTeX_[A-Za-z0-9-]+)\\.ttf")
                .matcher(css);
        while (face.find()) {
            faces.add(face.group(1) + " " + face.group(2) + " " + face.group(3) + " "
                    + face.group(4) + ".ttf");
        }
        return faces;
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = stream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static InputStream stream(String resource) {
        InputStream in = KatexFontsTest.class.getClassLoader().getResourceAsStream(resource);
        assertTrue(in != null, resource + " on the class path");
        return in;
    }

    private static TrueTypeFont font(String resource) throws IOException {
        try (InputStream in = stream(resource)) {
            return new TTFParser().parse(new RandomAccessReadBuffer(in));
        }
    }

    private static List<Integer> codePoints(String unicodeRange) {
        List<Integer> points = new ArrayList<>();
        for (String range : unicodeRange.split(",")) {
            String[] ends = range.substring(2).split("-");
            int first = Integer.parseInt(ends[0], 16);
            int last = ends.length == 2 ? Integer.parseInt(ends[1], 16) : first;
            for (int c = first; c <= last; c++) {
                points.add(c);
            }
        }
        return points;
    }

    /** The glyph's outline as text: each segment's kind and points. */
    private static String outline(TrueTypeFont font, int glyph) throws IOException {
        GlyphData data = font.getGlyph().getGlyph(glyph);
        if (data == null) {
            return "empty";
        }
        StringBuilder text = new StringBuilder();
        double[] points = new double[6];
        for (PathIterator i = data.getPath().getPathIterator(null); !i.isDone(); i.next()) {
            int kind = i.currentSegment(points);
            text.append(kind).append(Arrays.toString(points)).append(' ');
        }
        return text.toString();
    }

    @Test
    void theBuildCutEachOfKatexsFacesWithItsDescriptors() throws IOException {
        Set<String> katex = katexFaces();
        assertEquals(20, katex.size(), "KaTeX 0.16 declares 20 faces: " + katex);
        Set<String> cut = SUBSETS.faces().stream().map(f -> f.family() + " " + f.style() + " "
                + f.weight() + " " + f.file()).collect(Collectors.toCollection(TreeSet::new));
        // Every face holds the ASCII letters, so every face has a subset.
        assertEquals(katex, cut);
        assertTrue(SUBSETS.path().matches("/katex-fonts/0\\.16\\.4-[0-9a-f]{12}"),
                SUBSETS.path());
    }

    /**
     * On each character its range claims, a subset draws what KaTeX's full font draws: the same
     * glyph outline and advance where the full font has the character, and nothing where it
     * has none (then neither font draws it, and the browser falls back past both).
     */
    @Test
    void eachSubsetDrawsWhatTheFullFontDrawsOnItsRange() throws IOException {
        int compared = 0;
        for (KatexFonts.Face face : SUBSETS.faces()) {
            try (TrueTypeFont full = font(KATEX + "fonts/" + face.file());
                    TrueTypeFont subset = font("META-INF/resources" + SUBSETS.path() + "/"
                            + face.file())) {
                CmapLookup fullMap = full.getUnicodeCmapLookup();
                CmapLookup subsetMap = subset.getUnicodeCmapLookup();
                for (int c : codePoints(face.unicodeRange())) {
                    int inFull = fullMap.getGlyphId(c);
                    int inSubset = subsetMap.getGlyphId(c);
                    String where = face.file() + " U+" + Integer.toHexString(c);
                    assertEquals(inFull == 0, inSubset == 0, where);
                    if (inFull != 0) {
                        assertEquals(full.getAdvanceWidth(inFull),
                                subset.getAdvanceWidth(inSubset), where);
                        assertEquals(outline(full, inFull), outline(subset, inSubset), where);
                        compared++;
                    }
                }
                assertTrue(subset.getNumberOfGlyphs() < full.getNumberOfGlyphs(),
                        face.file() + " is cut down");
            }
        }
        assertTrue(compared > 1000, "glyphs compared: " + compared);
    }

    /** Every character the typeset formulas draw, and printable ASCII, is in every range. */
    @Test
    void everyCharacterATypesetFormulaDrawsIsClaimed() throws IOException {
        Formulas.Table table;
        try (InputStream in = stream(Formulas.RESOURCE)) {
            table = new ObjectMapper().readValue(in, Formulas.Table.class);
        }
        Set<Integer> drawn = new TreeSet<>();
        Stream.concat(table.inline().values().stream(), table.display().values().stream())
                .forEach(html -> Jsoup.parseBodyFragment(html).select(".katex-html")
                        .forEach(e -> e.wholeText().codePoints().filter(c -> c >= 0x20)
                                .forEach(drawn::add)));
        assertTrue(drawn.contains(0x200B), "KaTeX writes zero-width spaces");
        for (int c = 0x20; c <= 0x7e; c++) {
            drawn.add(c);
        }
        for (KatexFonts.Face face : SUBSETS.faces()) {
            assertEquals(drawn, new TreeSet<>(codePoints(face.unicodeRange())), face.file());
        }
    }

    @Test
    void thePagesGetOneRulePerSubsetAndPreloadTheCommonOnes() {
        String css = SUBSETS.css();
        assertEquals(SUBSETS.faces().size(), css.lines().count());
        KatexFonts.Face main = SUBSETS.faces().stream()
                .filter(f -> f.file().equals("KaTeX_Main-Regular.ttf")).findFirst().orElseThrow();
        assertTrue(css.contains("@font-face{font-family:KaTeX_Main;font-style:normal;"
                + "font-weight:400;src:url(" + SUBSETS.path() + "/KaTeX_Main-Regular.ttf) "
                + "format(\"truetype\");unicode-range:" + main.unicodeRange() + "}"), css);
        assertEquals(List.of(SUBSETS.path() + "/KaTeX_Main-Regular.ttf",
                SUBSETS.path() + "/KaTeX_Math-Italic.ttf",
                SUBSETS.path() + "/KaTeX_Size1-Regular.ttf"), SUBSETS.preloads());
        assertFalse(new KatexFonts.Subsets("", List.of()).css().contains("@font-face"));
    }
}
