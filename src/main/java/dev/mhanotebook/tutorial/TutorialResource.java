package dev.mhanotebook.tutorial;

import java.util.List;

import dev.mhanotebook.chapters.ChapterLibrary;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/** The pages every chapter links to: notation, glossary, references, playground and search. */
@Path("/")
@Produces(MediaType.TEXT_HTML + ";charset=UTF-8")
public class TutorialResource {
    /** The playground's starting request: the API's defaults, with a sentence. */
    static final String PLAYGROUND_DEFAULTS = """
            {"text":"The cat sat on the mat","batch":1,"modelDim":16,"heads":2,"causal":"none",\
            "scale":"sqrt_dk","dropout":0,"training":false,"implementation":"vectorized",\
            "blockSize":32,"seed":42}""";

    /** A number field of the playground's "Sizes" group; {@code name} is the JSON field. */
    public record SizeField(String name, String label, String help) {
    }

    static final List<SizeField> SIZES = List.of(
            new SizeField("batch", "Batch B", "Sequences computed at once."),
            new SizeField("queryLength", "Query length L",
                    "Empty: the number of tokens, else 6."),
            new SizeField("keyLength", "Key length S", "Empty: the second sentence's, else L."),
            new SizeField("modelDim", "d_model", "The width of each token's vector."),
            new SizeField("heads", "Heads h", "Query heads."),
            new SizeField("kvHeads", "K/V heads g",
                    "Empty: h. Must divide h; 1 is multi-query attention."),
            new SizeField("headDim", "Head width d_k",
                    "Empty: d_model / h, and then h must divide d_model."));

    @Inject
    ChapterSearch search;

    @Inject
    ChapterLibrary library;

    @GET
    @Path("notation")
    public String notation() {
        return library.formulas().typeset(TutorialTemplates.notation().render());
    }

    @GET
    @Path("glossary")
    public String glossary() {
        return library.formulas().typeset(TutorialTemplates.glossary().render());
    }

    @GET
    @Path("references")
    public String references() {
        return TutorialTemplates.references().render();
    }

    @GET
    @Path("playground")
    public String playground() {
        return TutorialTemplates.playground(PLAYGROUND_DEFAULTS, SIZES).render();
    }

    @GET
    @Path("search")
    public String search(@QueryParam("q") String query) {
        String q = query == null ? "" : query.strip();
        if (q.length() > 200) {
            q = q.substring(0, 200);
        }
        return library.formulas().typeset(
                TutorialTemplates.search(q, search.search(q)).render());
    }
}
