package dev.mhanotebook.chapters;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.commonmark.Extension;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.ext.heading.anchor.IdGenerator;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.Heading;
import org.commonmark.node.Link;
import org.commonmark.node.Node;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.Text;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.NodeRenderer;
import org.commonmark.renderer.html.HtmlRenderer;
import org.commonmark.renderer.html.HtmlWriter;

/**
 * Markdown to HTML for chapters: CommonMark with tables, math ({@link MathExtension}),
 * experiment, exercise and code directives ({@link ExperimentDirective},
 * {@link ExerciseDirective}, {@link CodeDirective}). Knows nothing of files or templates: the
 * HTML of an experiment comes from the function given to the constructor.
 */
final class ChapterMarkdown {
    private static final List<Extension> EXTENSIONS =
            List.of(TablesExtension.create(), MathExtension.create());

    private final Parser parser;
    private final Function<ExperimentView, String> experimentHtml;
    private final HiddenChapters hidden;

    /** For chapters that quote no code. */
    ChapterMarkdown(Function<ExperimentView, String> experimentHtml) {
        this(experimentHtml, SourceLibrary.EMPTY, HiddenChapters.none());
    }

    /** {@code sources} are the files the chapters' code panels may quote. */
    ChapterMarkdown(Function<ExperimentView, String> experimentHtml, SourceLibrary sources) {
        this(experimentHtml, sources, HiddenChapters.none());
    }

    /**
     * {@code sources} are the files the chapters' code panels may quote; links to a chapter that
     * {@code hidden} hides render as their text, without the link.
     */
    ChapterMarkdown(Function<ExperimentView, String> experimentHtml, SourceLibrary sources,
            HiddenChapters hidden) {
        this.experimentHtml = experimentHtml;
        this.hidden = hidden;
        this.parser = Parser.builder()
                .extensions(EXTENSIONS)
                .postProcessor(new ExperimentDirective.Finder())
                .postProcessor(ExerciseDirective.finder())
                .postProcessor(CodeDirective.finder(sources))
                .build();
    }

    /** Parses and renders one chapter; {@code order} and {@code slug} come from its file name. */
    Chapter render(String slug, int order, String markdown) {
        Node document = parser.parse(markdown);

        Heading titleHeading = firstTitle(document);
        if (titleHeading == null) {
            throw new ChapterException("chapter " + slug + " has no '# Title' heading");
        }
        String title = plainText(titleHeading);
        titleHeading.unlink();
        unlinkHiddenChapters(document);

        Map<Node, String> ids = new IdentityHashMap<>();
        List<Chapter.Heading> toc = new ArrayList<>();
        List<ExperimentView> experiments = new ArrayList<>();
        String[] summary = {""};
        IdGenerator idGenerator = IdGenerator.builder().build();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Heading heading) {
                String id = idGenerator.generateId(plainText(heading));
                ids.put(heading, id);
                if (heading.getLevel() == 2 || heading.getLevel() == 3) {
                    toc.add(new Chapter.Heading(heading.getLevel(), id, plainText(heading),
                            tocHtml(heading)));
                }
            }

            @Override
            public void visit(Paragraph paragraph) {
                if (summary[0].isEmpty()) {
                    summary[0] = plainText(paragraph).replace('\n', ' ');
                }
            }

            @Override
            public void visit(CustomBlock block) {
                if (block instanceof ExperimentDirective directive) {
                    ExperimentView view = Experiments.resolve(directive);
                    if (experiments.stream().anyMatch(e -> e.id().equals(view.id()))) {
                        throw new ChapterException("experiment id '" + view.id()
                                + "' appears twice in chapter " + slug);
                    }
                    experiments.add(view);
                }
            }
        });

        Map<String, ExperimentView> byId = new HashMap<>();
        experiments.forEach(e -> byId.put(e.id(), e));
        HtmlRenderer renderer = HtmlRenderer.builder()
                .extensions(EXTENSIONS)
                .attributeProviderFactory(context -> (node, tag, attributes) -> {
                    String id = ids.get(node);
                    if (id != null) {
                        attributes.put("id", id);
                    }
                })
                .nodeRendererFactory(context -> new NodeRenderer() {
                    @Override
                    public Set<Class<? extends Node>> getNodeTypes() {
                        return Set.of(ExperimentDirective.class);
                    }

                    @Override
                    public void render(Node node) {
                        ExperimentDirective directive = (ExperimentDirective) node;
                        context.getWriter().line();
                        context.getWriter().raw(experimentHtml.apply(byId.get(directive.id())));
                        context.getWriter().line();
                    }
                })
                .nodeRendererFactory(FencedDirectives.renderer(ExerciseDirective.class))
                .nodeRendererFactory(FencedDirectives.renderer(CodeDirective.class))
                .build();
        return new Chapter(slug, order, title, summary[0], renderer.render(document),
                List.copyOf(toc), List.copyOf(experiments));
    }

    /** Replaces each link to a hidden chapter by its content, so the sentence still reads. */
    private void unlinkHiddenChapters(Node document) {
        List<Link> dead = new ArrayList<>();
        document.accept(new AbstractVisitor() {
            @Override
            public void visit(Link link) {
                if (hidden.hidesLink(link.getDestination())) {
                    dead.add(link);
                }
                visitChildren(link);
            }
        });
        for (Link link : dead) {
            for (Node child = link.getFirstChild(); child != null; ) {
                Node next = child.getNext();
                link.insertBefore(child);
                child = next;
            }
            link.unlink();
        }
    }

    private static Heading firstTitle(Node document) {
        for (Node n = document.getFirstChild(); n != null; n = n.getNext()) {
            if (n instanceof Heading h && h.getLevel() == 1) {
                return h;
            }
        }
        return null;
    }

    /**
     * A heading's text as HTML for the table of contents: escaped, without links or emphasis, its
     * math as the TeX elements that {@link Formulas} typesets, as in the heading itself.
     */
    static String tocHtml(Node node) {
        StringBuilder out = new StringBuilder();
        HtmlWriter html = new HtmlWriter(out);
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                html.text(t.getLiteral());
            }

            @Override
            public void visit(Code code) {
                html.text(code.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak br) {
                html.text(" ");
            }

            @Override
            public void visit(CustomNode custom) {
                if (custom instanceof MathExtension.InlineMath math) {
                    html.tag("span", Map.of("class", "math math-inline"));
                    html.text(math.tex());
                    html.tag("/span");
                }
                visitChildren(custom);
            }
        });
        return out.toString().strip();
    }

    /** The text of a node as a reader sees it; math keeps its TeX source. */
    static String plainText(Node node) {
        StringBuilder text = new StringBuilder();
        node.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) {
                text.append(t.getLiteral());
            }

            @Override
            public void visit(Code code) {
                text.append(code.getLiteral());
            }

            @Override
            public void visit(SoftLineBreak br) {
                text.append(' ');
            }

            @Override
            public void visit(CustomNode custom) {
                if (custom instanceof MathExtension.InlineMath math) {
                    text.append(math.tex());
                }
                visitChildren(custom);
            }
        });
        return text.toString().strip();
    }
}
