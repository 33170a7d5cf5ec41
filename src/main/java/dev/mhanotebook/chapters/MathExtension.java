package dev.mhanotebook.chapters;

import java.util.Map;
import java.util.Set;

import org.commonmark.Extension;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.parser.SourceLine;
import org.commonmark.parser.beta.InlineContentParser;
import org.commonmark.parser.beta.InlineContentParserFactory;
import org.commonmark.parser.beta.InlineParserState;
import org.commonmark.parser.beta.ParsedInline;
import org.commonmark.parser.beta.Position;
import org.commonmark.parser.beta.Scanner;
import org.commonmark.parser.block.AbstractBlockParser;
import org.commonmark.parser.block.AbstractBlockParserFactory;
import org.commonmark.parser.block.BlockContinue;
import org.commonmark.parser.block.BlockStart;
import org.commonmark.parser.block.MatchedBlockParser;
import org.commonmark.parser.block.ParserState;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererContext;
import org.commonmark.renderer.html.HtmlRenderer;

/**
 * TeX math in Markdown: {@code $...$} inline and {@code $$...$$} display (a block of its own
 * lines, or inline in a paragraph). The TeX source is kept verbatim, so Markdown never turns
 * {@code _} into emphasis or eats a {@code \}, and is written HTML-escaped into
 * {@code <span class="math math-inline">} or {@code <div class="math math-display">}, which
 * {@link Formulas} replaces by the KaTeX markup the build typeset (or the browser renders with
 * KaTeX, for a formula the build did not see).
 *
 * <p>As in Pandoc, an inline opening {@code $} must not be followed by a space and a closing one
 * must not follow a space nor be followed by a digit, so "costs $5 or $6" stays text.
 */
public final class MathExtension
        implements Parser.ParserExtension, HtmlRenderer.HtmlRendererExtension {

    /** Inline math; {@link #display()} when it was written {@code $$...$$} inside a paragraph. */
    public static final class InlineMath extends CustomNode {
        private final String tex;
        private final boolean display;

        InlineMath(String tex, boolean display) {
            this.tex = tex;
            this.display = display;
        }

        public String tex() {
            return tex;
        }

        public boolean display() {
            return display;
        }
    }

    /** Display math on lines of its own. */
    public static final class DisplayMath extends CustomBlock {
        private final StringBuilder tex = new StringBuilder();

        public String tex() {
            return tex.toString().strip();
        }
    }

    private MathExtension() {
    }

    public static Extension create() {
        return new MathExtension();
    }

    @Override
    public void extend(Parser.Builder builder) {
        builder.customBlockParserFactory(new DisplayMathParser.Factory());
        builder.customInlineContentParserFactory(new InlineMathParserFactory());
    }

    @Override
    public void extend(HtmlRenderer.Builder builder) {
        builder.nodeRendererFactory(MathRenderer::new);
    }

    private static final class InlineMathParserFactory implements InlineContentParserFactory {
        @Override
        public Set<Character> getTriggerCharacters() {
            return Set.of('$');
        }

        @Override
        public InlineContentParser create() {
            return InlineMathParserFactory::parse;
        }

        private static ParsedInline parse(InlineParserState state) {
            Scanner scanner = state.scanner();
            int opening = scanner.matchMultiple('$');
            if (opening > 2) {
                return ParsedInline.none();
            }
            Position start = scanner.position();
            char first = scanner.peek();
            if (first == ' ' || first == '\n' || first == '\t' || first == Scanner.END) {
                return ParsedInline.none();
            }
            while (scanner.find('$') >= 0) {
                Position end = scanner.position();
                int closing = scanner.matchMultiple('$');
                if (closing != opening) {
                    continue;
                }
                String tex = scanner.getSource(start, end).getContent();
                char last = tex.charAt(tex.length() - 1);
                boolean spaceBefore = Character.isWhitespace(last);
                boolean escaped = last == '\\' && !tex.endsWith("\\\\");
                boolean digitAfter = opening == 1 && Character.isDigit(scanner.peek());
                if (spaceBefore || escaped || digitAfter) {
                    continue;
                }
                return ParsedInline.of(new InlineMath(tex, opening == 2), scanner.position());
            }
            return ParsedInline.none();
        }
    }

    /** {@code $$} at a line's start opens display math; a line ending in {@code $$} closes it. */
    private static final class DisplayMathParser extends AbstractBlockParser {
        private final DisplayMath block = new DisplayMath();
        private boolean closed;

        @Override
        public org.commonmark.node.Block getBlock() {
            return block;
        }

        @Override
        public BlockContinue tryContinue(ParserState state) {
            return closed ? BlockContinue.finished() : BlockContinue.atIndex(state.getIndex());
        }

        @Override
        public void addLine(SourceLine line) {
            String text = line.getContent().toString();
            if (block.tex.length() == 0 && !closed && text.strip().startsWith("$$")) {
                text = text.strip().substring(2);
                if (text.strip().endsWith("$$")) {
                    text = text.strip();
                    text = text.substring(0, text.length() - 2);
                    closed = true;
                }
                block.tex.append(text).append('\n');
                return;
            }
            String stripped = text.stripTrailing();
            if (stripped.endsWith("$$")) {
                text = stripped.substring(0, stripped.length() - 2);
                closed = true;
            }
            block.tex.append(text).append('\n');
        }

        static final class Factory extends AbstractBlockParserFactory {
            @Override
            public BlockStart tryStart(ParserState state, MatchedBlockParser matched) {
                if (state.getIndent() >= 4) {
                    return BlockStart.none();
                }
                CharSequence line = state.getLine().getContent();
                int at = state.getNextNonSpaceIndex();
                String rest = line.subSequence(at, line.length()).toString().strip();
                if (!rest.startsWith("$$") || rest.startsWith("$$$")) {
                    return BlockStart.none();
                }
                return BlockStart.of(new DisplayMathParser()).atIndex(at);
            }
        }
    }

    private static final class MathRenderer implements NodeRenderer {
        private final HtmlNodeRendererContext context;

        MathRenderer(HtmlNodeRendererContext context) {
            this.context = context;
        }

        @Override
        public Set<Class<? extends Node>> getNodeTypes() {
            return Set.of(InlineMath.class, DisplayMath.class);
        }

        @Override
        public void render(Node node) {
            var html = context.getWriter();
            if (node instanceof DisplayMath math) {
                html.line();
                html.tag("div", Map.of("class", "math math-display"));
                html.text(math.tex());
                html.tag("/div");
                html.line();
            } else if (node instanceof InlineMath math) {
                String kind = math.display() ? "math math-display" : "math math-inline";
                html.tag("span", Map.of("class", kind));
                html.text(math.tex());
                html.tag("/span");
            }
        }
    }
}
