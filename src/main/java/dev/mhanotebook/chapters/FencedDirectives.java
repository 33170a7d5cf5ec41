package dev.mhanotebook.chapters;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.Node;
import org.commonmark.parser.PostProcessor;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlNodeRendererFactory;

/**
 * Fenced blocks that a chapter uses as directives ({@code ```exercise}, {@code ```code}): after
 * parsing, each block is replaced by a node of its own, checked as it is built, and the renderer
 * writes that node's HTML in its place.
 */
final class FencedDirectives {
    private FencedDirectives() {
    }

    /** A directive node: an id unique within its chapter, and the HTML that stands for it. */
    interface Directive {
        String id();

        String html();
    }

    /**
     * Replaces each fenced block whose info string is {@code info} by {@code make} of its text.
     *
     * @param what the directive's name in error messages, such as {@code code panel}
     * @throws ChapterException from {@code make}, or when two blocks of a chapter share an id
     */
    static <T extends CustomBlock & Directive> PostProcessor finder(String info, String what,
            Function<String, T> make) {
        return document -> {
            List<FencedCodeBlock> blocks = new ArrayList<>();
            document.accept(new AbstractVisitor() {
                @Override
                public void visit(FencedCodeBlock block) {
                    if (info.equals(block.getInfo() == null ? "" : block.getInfo().strip())) {
                        blocks.add(block);
                    }
                }
            });
            Set<String> ids = new HashSet<>();
            for (FencedCodeBlock block : blocks) {
                T directive = make.apply(block.getLiteral());
                if (!ids.add(directive.id())) {
                    throw new ChapterException(what + " id '" + directive.id() + "' appears twice");
                }
                directive.setSourceSpans(block.getSourceSpans());
                block.insertBefore(directive);
                block.unlink();
            }
            return document;
        };
    }

    /** Writes each node of {@code type} as its {@link Directive#html()}. */
    static HtmlNodeRendererFactory renderer(Class<? extends Directive> type) {
        return context -> new NodeRenderer() {
            @Override
            public Set<Class<? extends Node>> getNodeTypes() {
                return Set.of(type.asSubclass(Node.class));
            }

            @Override
            public void render(Node node) {
                context.getWriter().line();
                context.getWriter().raw(((Directive) node).html());
                context.getWriter().line();
            }
        };
    }
}
