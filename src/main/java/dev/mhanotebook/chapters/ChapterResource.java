package dev.mhanotebook.chapters;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/** The index of chapters at {@code /} and each chapter at {@code /chapters/<slug>}. */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ChapterResource {
    @Inject
    ChapterLibrary library;

    @GET
    public String index() {
        return ChapterTemplates.index(library.all()).render();
    }

    @GET
    @Path("chapters/{slug}")
    public Response chapter(@PathParam("slug") String slug) {
        return library.find(slug)
                .map(c -> Response.ok(ChapterTemplates.chapter(c,
                        library.neighbour(c, -1).orElse(null),
                        library.neighbour(c, 1).orElse(null),
                        library.all()).render()))
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(ChapterTemplates.notFound(slug, library.all()).render()))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .build();
    }
}
