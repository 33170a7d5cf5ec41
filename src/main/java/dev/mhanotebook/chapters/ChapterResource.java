package dev.mhanotebook.chapters;

import java.net.URI;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The index of chapters at {@code /}, each chapter at {@code /chapters/<slug>} and each source
 * file the code panels quote at {@code /source/<file name>}.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ChapterResource {
    @Inject
    ChapterLibrary library;

    @GET
    public String index() {
        return ChapterTemplates.index(library.all()).render();
    }

    /** Addresses a reader may guess for the index ({@code /chapters}, {@code /index.html}). */
    @GET
    @Path("{index: chapters/?|index\\.html}")
    public Response indexElsewhere() {
        return Response.status(Response.Status.MOVED_PERMANENTLY).location(URI.create("/")).build();
    }

    @GET
    @Path("chapters/{slug}")
    public Response chapter(@PathParam("slug") String slug) {
        return library.find(slug)
                .map(c -> Response.ok(ChapterTemplates.chapter(c, library.body(c),
                        library.neighbour(c, -1).orElse(null),
                        library.neighbour(c, 1).orElse(null),
                        library.all()).render()))
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(ChapterTemplates.notFound(slug, null, library.all()).render()))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .build();
    }

    @GET
    @Path("source/{file}")
    public Response source(@PathParam("file") String file) {
        return library.sources().find(file)
                .map(f -> Response.ok(ChapterTemplates.source(f).render()))
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(ChapterTemplates.sourceNotFound(file, library.sources().all())
                                .render()))
                .type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .build();
    }
}
