package dev.mhanotebook.chapters;

import java.util.LinkedHashMap;
import java.util.Map;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.parser.PostProcessor;

/**
 * An experiment embedded in a chapter, written as a fenced block whose info string is
 * {@code experiment}, one {@code key: value} per line:
 *
 * <pre>
 * ```experiment
 * id: sentence
 * kind: attention
 * controls: text, modelDim, heads, causal
 * text: The cat sat on the mat
 * ```
 * </pre>
 *
 * {@code kind} names an entry of {@link Experiments}; {@code id} is unique within the chapter;
 * {@code controls} lists the parameters the reader may change; every other key sets a default.
 */
public final class ExperimentDirective extends CustomBlock {
    private final Map<String, String> settings;

    ExperimentDirective(Map<String, String> settings) {
        this.settings = Map.copyOf(settings);
    }

    /** Every {@code key: value} line as written, in no particular order. */
    public Map<String, String> settings() {
        return settings;
    }

    public String id() {
        return settings.getOrDefault("id", "");
    }

    public String kind() {
        return settings.getOrDefault("kind", "");
    }

    static Map<String, String> parse(String body) {
        return parse(body, "experiment");
    }

    /** The {@code key: value} lines of a directive; {@code what} names it in error messages. */
    static Map<String, String> parse(String body, String what) {
        Map<String, String> settings = new LinkedHashMap<>();
        int lineNumber = 0;
        for (String line : body.split("\n")) {
            lineNumber++;
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new ChapterException(what + " line " + lineNumber
                        + " must be 'key: value' (was '" + line + "')");
            }
            String key = line.substring(0, colon).strip();
            if (settings.put(key, line.substring(colon + 1).strip()) != null) {
                throw new ChapterException(what + " key '" + key + "' is given twice");
            }
        }
        return settings;
    }

    /** Replaces each {@code ```experiment} fenced block by an {@link ExperimentDirective}. */
    static final class Finder extends AbstractVisitor implements PostProcessor {
        @Override
        public Node process(Node document) {
            document.accept(this);
            return document;
        }

        @Override
        public void visit(FencedCodeBlock block) {
            if ("experiment".equals(block.getInfo() == null ? null : block.getInfo().strip())) {
                ExperimentDirective directive = new ExperimentDirective(parse(block.getLiteral()));
                directive.setSourceSpans(block.getSourceSpans());
                block.insertBefore(directive);
                block.unlink();
            }
        }
    }
}
