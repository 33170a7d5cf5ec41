package dev.mhanotebook.chapters;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@code mha.chapters.hidden} without Quarkus (a second Quarkus profile cannot reload DJL's
 * tokenizer library in one JVM): the setting is checked against the chapters in
 * {@code content/}, hidden chapters are left out, and links to them become plain text.
 */
class HiddenChaptersTest {
    private static final List<String> KNOWN = List.of("introduction", "architecture", "beyond");

    private static List<Chapter> shownOfContent(List<String> hidden) {
        return ChapterLibrary.shown(ChapterLibrary.files(), hidden, view -> "<form></form>");
    }

    @Test
    void anUnknownSlugFailsNamingTheSettingTheSlugAndTheChapters() {
        ChapterException e = assertThrows(ChapterException.class,
                () -> HiddenChapters.of(List.of("architecture", "archtecture"), KNOWN));
        assertEquals("mha.chapters.hidden (MHA_CHAPTERS_HIDDEN) names no chapter 'archtecture';"
                + " the chapters are: introduction, architecture, beyond", e.getMessage());
    }

    @Test
    void hidingEveryChapterFails() {
        ChapterException e = assertThrows(ChapterException.class,
                () -> HiddenChapters.of(List.of("beyond", "introduction", "architecture"), KNOWN));
        assertTrue(e.getMessage().contains("hides every chapter"), e.getMessage());
    }

    @Test
    void spacesAndBlankEntriesAreIgnored() {
        HiddenChapters hidden = HiddenChapters.of(List.of(" beyond ", "", "  "), KNOWN);
        assertTrue(hidden.hides("beyond"));
        assertFalse(hidden.hides("introduction"));
        assertEquals(1, hidden.slugs().size());
    }

    @Test
    void onlyLinksOpeningAHiddenChapterCount() {
        HiddenChapters hidden = HiddenChapters.of(List.of("architecture"), KNOWN);
        assertTrue(hidden.hidesLink("/chapters/architecture"));
        assertTrue(hidden.hidesLink("/chapters/architecture#why-many-heads"));
        assertTrue(hidden.hidesLink("/chapters/architecture/"));
        assertFalse(hidden.hidesLink("/chapters/architecture-notes"));
        assertFalse(hidden.hidesLink("/chapters/beyond"));
        assertFalse(hidden.hidesLink("/playground"));
        assertFalse(hidden.hidesLink("https://example.org/chapters/architecture"));
    }

    @Test
    void aLinkToAHiddenChapterRendersAsItsText() {
        HiddenChapters hidden = HiddenChapters.of(List.of("architecture"), KNOWN);
        ChapterMarkdown markdown = new ChapterMarkdown(view -> "", SourceLibrary.EMPTY, hidden);
        String html = markdown.render("introduction", 1, "# Intro\n\n"
                + "Read [the *architecture* chapter](/chapters/architecture#heads) and"
                + " [beyond](/chapters/beyond), or [ref][arch].\n\n"
                + "[arch]: /chapters/architecture\n").html();
        assertEquals("<p>Read the <em>architecture</em> chapter and"
                + " <a href=\"/chapters/beyond\">beyond</a>, or ref.</p>\n", html);
    }

    @Test
    void noSettingShowsEveryChapterInContent() {
        Map<String, String> files = ChapterLibrary.files();
        List<Chapter> shown = shownOfContent(List.of());
        assertEquals(files.size(), shown.size());
        assertEquals("introduction", shown.get(0).slug());
    }

    @Test
    void hiddenChaptersOfContentAreLeftOutAndLinksToThemAreText() {
        List<Chapter> all = shownOfContent(List.of());
        List<Chapter> shown = shownOfContent(List.of("architecture", "beyond"));
        assertEquals(all.size() - 2, shown.size());
        List<String> slugs = shown.stream().map(Chapter::slug).toList();
        assertFalse(slugs.contains("architecture"), slugs.toString());
        assertFalse(slugs.contains("beyond"), slugs.toString());
        for (Chapter c : shown) {
            assertFalse(c.html().contains("href=\"/chapters/architecture"), c.slug());
            assertFalse(c.html().contains("href=\"/chapters/beyond"), c.slug());
        }
        Chapter intro = shown.get(0);
        assertTrue(intro.html().contains("Architecture: why many heads"), intro.html());
        assertTrue(intro.html().contains("href=\"/chapters/scaled-dot-product-attention\""));
    }

    @Test
    void anUnknownSlugStopsLoadingContent() {
        ChapterException e = assertThrows(ChapterException.class,
                () -> shownOfContent(List.of("no-such-chapter")));
        assertTrue(e.getMessage().contains("'no-such-chapter'"), e.getMessage());
        assertTrue(e.getMessage().contains("scaled-dot-product-attention"), e.getMessage());
    }

    @Test
    void aBadlyNamedFileStillFails() {
        Map<String, String> files = new LinkedHashMap<>();
        files.put("01-one.md", "# One\n");
        files.put("two.md", "# Two\n");
        assertThrows(ChapterException.class, () -> ChapterLibrary.shown(files, List.of(), v -> ""));
    }
}
