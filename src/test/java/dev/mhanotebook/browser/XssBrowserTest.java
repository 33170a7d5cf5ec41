package dev.mhanotebook.browser;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringReader;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.w3c.dom.Attr;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * Text a reader types is shown as text: a sentence that is an HTML payload runs no script in the
 * experiment, its heatmap labels and trace, nor on the search page that echoes the query; and
 * every export of its result keeps it as text. The exports are read as their consumers read
 * them: the SVG is parsed as XML and opened in the browser, the Markdown of the trace and the
 * notebook's Markdown cells are rendered with CommonMark (which, like many viewers, passes raw
 * HTML through), the CSV is split by RFC 4180, the JSON and notebook parsed as JSON.
 */
@QuarkusTest
@DisabledIfSystemProperty(named = "skipBrowserTests", matches = "true")
class XssBrowserTest {
    static final String PAYLOAD =
            "<img src=x onerror=\"window.__xss=1\"> <script>window.__xss=2</script>";
    /** The payload. */
    static final String IMG_ALERT = "<img src=x onerror=alert(1)>";
    /**
     * Breaks out of a script element, a quoted attribute, a Markdown code span and a CSV field,
     * and starts spreadsheet formulas.
     */
    static final String BREAKOUT = "`</script><img src=x onerror=alert(2)>` \"a\",'b' "
            + "<svg onload=alert(3)> =1+2 @SUM(1) -3";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PYTHON_TOKENS = Pattern.compile("(?m)^tokens = (\\[.*\\])$");

    @TestHTTPResource("/chapters/scaled-dot-product-attention")
    URL chapter;

    @TestHTTPResource("/search")
    URL search;

    @Test
    void aSentenceThatIsHtmlRunsNoScriptAndShowsAsText() {
        try (ChapterBrowser b = new ChapterBrowser()) {
            Page page = b.open(chapter.toString());
            List<String> dialogs = collectDialogs(page);
            Locator experiment = runWithSentence(page, PAYLOAD);
            // The words of the payload are labels, as text; no element was made from them.
            assertThat(experiment.locator("svg text", new Locator.LocatorOptions()
                    .setHasText("onerror")).first()).isVisible();
            assertEquals(0, page.locator("img[src=x]").count(), "an <img> was injected");
            assertEquals(null, page.evaluate("() => window.__xss ?? null"), "a script ran");

            page.navigate(search + "?q=" + URLEncoder.encode(PAYLOAD, StandardCharsets.UTF_8));
            assertThat(page.locator("main")).containsText("onerror");
            assertEquals(0, page.locator("img[src=x]").count(), "search injected an <img>");
            assertEquals(null, page.evaluate("() => window.__xss ?? null"), "search ran a script");
            assertEquals(List.of(), dialogs);
            b.closePage();
        }
    }

    @Test
    void everyExportKeepsAnImgPayloadAsText() throws Exception {
        exportsKeepAsText(IMG_ALERT);
    }

    @Test
    void everyExportKeepsAScriptQuoteAndBacktickPayloadAsText() throws Exception {
        exportsKeepAsText(BREAKOUT);
    }

    private void exportsKeepAsText(String sentence) throws Exception {
        try (ChapterBrowser b = new ChapterBrowser()) {
            Page page = b.open(chapter.toString());
            List<String> dialogs = collectDialogs(page);
            Locator experiment = runWithSentence(page, sentence);
            assertEquals(0, page.locator("img[src=x]").count(), "an <img> was injected");

            // Result JSON: the sentence is the request's string, its words the tokens.
            JsonNode result = JSON.readTree(download(page, experiment, "export-json"));
            assertEquals(sentence, result.path("request").path("text").asText());
            List<String> tokens = strings(result.path("tokens"));
            assertTrue(tokens.size() > 5 && tokens.contains("<") && tokens.contains("img"),
                    tokens.toString());

            // Heatmaps SVG: well-formed XML, every token a label's text, no element or
            // attribute made from the payload; opened as a document, it runs nothing.
            Path svgFile = downloadPath(page, experiment, "export-svg");
            Document svg = parseXml(Files.readString(svgFile, StandardCharsets.UTF_8));
            assertNoActiveContent(svg.getDocumentElement());
            Set<String> labels = new HashSet<>();
            NodeList texts = svg.getElementsByTagNameNS("*", "text");
            for (int i = 0; i < texts.getLength(); i++) {
                labels.add(texts.item(i).getTextContent());
            }
            for (String token : tokens) {
                assertTrue(labels.contains(token), "label '" + token + "' in " + labels);
            }

            // Heatmaps PNG: an image drawn from that SVG.
            BufferedImage png = ImageIO.read(downloadPath(page, experiment, "export-png").toFile());
            assertTrue(png != null && png.getWidth() > 100, "a PNG image");

            // Weights and output CSV: each token one field, read back as typed, and a field that
            // a spreadsheet would take for a formula starts with an apostrophe.
            List<List<String>> weights = csv(download(page, experiment, "export-csv"));
            assertEquals(List.of("batch", "head", "query", "key", "queryToken", "keyToken",
                    "weight"), weights.get(0));
            int heads = result.path("spec").path("heads").asInt();
            assertEquals(1 + heads * tokens.size() * tokens.size(), weights.size());
            for (List<String> row : weights.subList(1, weights.size())) {
                assertEquals(7, row.size(), row.toString());
                assertEquals(spreadsheetSafe(tokens.get(Integer.parseInt(row.get(2)))), row.get(4));
                assertEquals(spreadsheetSafe(tokens.get(Integer.parseInt(row.get(3)))), row.get(5));
            }
            List<List<String>> output = csv(download(page, experiment, "export-output-csv"));
            assertEquals(1 + tokens.size(), output.size(), "one line per token");
            for (List<String> row : output.subList(1, output.size())) {
                assertEquals(spreadsheetSafe(tokens.get(Integer.parseInt(row.get(1)))), row.get(2));
            }

            // Trace Markdown: the request, payload and all, stays inside a code block.
            String trace = download(page, experiment, "export-trace");
            assertTrue(trace.contains(sentence.substring(1, 20)), trace);
            assertMarkdownIsText("trace", trace);

            // Notebook: Markdown cells render no HTML, the tokens are a Python list of strings,
            // and there are no outputs (which Jupyter would render as HTML).
            JsonNode notebook = JSON.readTree(download(page, experiment, "export-notebook"));
            boolean sawTokens = false;
            StringBuilder markdown = new StringBuilder();
            for (JsonNode cell : notebook.path("cells")) {
                String source = String.join("", strings(cell.path("source")));
                if (cell.path("cell_type").asText().equals("markdown")) {
                    assertMarkdownIsText("notebook", source);
                    markdown.append(source);
                } else {
                    assertEquals(0, cell.path("outputs").size(), "a code cell has outputs");
                    Matcher m = PYTHON_TOKENS.matcher(source);
                    if (m.find()) {
                        assertEquals(tokens, strings(JSON.readTree(m.group(1))));
                        sawTokens = true;
                    }
                }
            }
            assertTrue(sawTokens, "the notebook lists the tokens");
            assertTrue(markdown.toString().contains(JSON.writeValueAsString(sentence)),
                    "the notebook echoes the request's sentence as a JSON string: " + markdown);

            assertEquals(0, page.locator("img[src=x]").count(), "an export injected an <img>");
            page.navigate(svgFile.toUri().toString());
            assertEquals(List.of(), dialogs, "a dialog opened");
            assertEquals(0, page.locator("img, script, foreignObject").count(),
                    "the SVG document holds an element made from the payload");
            b.closePage();
        }
    }

    private static List<String> collectDialogs(Page page) {
        List<String> dialogs = new ArrayList<>();
        page.onDialog(d -> {
            dialogs.add(d.message());
            d.dismiss();
        });
        return dialogs;
    }

    private static Locator runWithSentence(Page page, String sentence) {
        Locator experiment = page.getByTestId("experiment").first();
        assertThat(experiment.getByTestId("status")).hasAttribute("data-state", "done");
        experiment.getByLabel("Sentence", new Locator.GetByLabelOptions().setExact(true))
                .fill(sentence);
        experiment.getByTestId("run").click();
        assertThat(experiment.getByTestId("status")).hasAttribute("data-state", "done");
        return experiment;
    }

    private static Path downloadPath(Page page, Locator experiment, String testId) {
        Download d = page.waitForDownload(() -> experiment.getByTestId(testId).click());
        assertEquals(null, d.failure(), testId);
        return d.path();
    }

    private static String download(Page page, Locator experiment, String testId)
            throws IOException {
        return Files.readString(downloadPath(page, experiment, testId), StandardCharsets.UTF_8);
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> {
            assertTrue(n.isTextual(), "a string: " + n);
            out.add(n.asText());
        });
        return out;
    }

    private static Document parseXml(String text) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
    }

    /** No script, foreign HTML, image, link or event attribute anywhere under {@code e}. */
    private static void assertNoActiveContent(Element e) {
        Set<String> active = Set.of("script", "foreignObject", "img", "image", "iframe", "a",
                "use", "animate", "set", "handler");
        assertFalse(active.contains(e.getLocalName()), "an <" + e.getLocalName() + "> element");
        NamedNodeMap attributes = e.getAttributes();
        for (int i = 0; i < attributes.getLength(); i++) {
            Attr a = (Attr) attributes.item(i);
            String name = a.getLocalName() == null ? a.getName() : a.getLocalName();
            assertFalse(name.toLowerCase().startsWith("on"), "attribute " + name);
            assertFalse(a.getValue().toLowerCase().contains("javascript:"), "attribute " + name);
        }
        NodeList children = e.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element child) {
                assertNoActiveContent(child);
            }
        }
    }

    /** Rendered as CommonMark passes HTML through, the text holds no HTML of its own. */
    private static void assertMarkdownIsText(String what, String markdown) {
        Node document = Parser.builder().build().parse(markdown);
        List<String> html = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(HtmlInline node) {
                html.add(node.getLiteral());
            }

            @Override
            public void visit(HtmlBlock node) {
                html.add(node.getLiteral());
            }
        });
        assertEquals(List.of(), html, what + ": raw HTML in the Markdown");
        String rendered = HtmlRenderer.builder().build().render(document);
        assertFalse(rendered.contains("<img") || rendered.contains("<script")
                || rendered.contains("<svg"), what + ": " + rendered);
    }

    /** The field as the export writes it: an apostrophe before a formula's first character. */
    private static String spreadsheetSafe(String token) {
        return token.matches("^[=+\\-@\\t\\r].*") ? "'" + token : token;
    }

    /** RFC 4180: fields split at commas outside quotes, "" inside quotes is one quote. */
    private static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else {
                field.append(c);
            }
        }
        assertFalse(quoted, "an unclosed quote in the CSV");
        assertTrue(row.isEmpty() && field.isEmpty(), "the CSV ends with a line break");
        return rows;
    }
}
