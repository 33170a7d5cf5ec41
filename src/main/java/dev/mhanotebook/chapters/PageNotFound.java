package dev.mhanotebook.chapters;

import java.util.List;

import org.jboss.resteasy.reactive.server.ServerResponseFilter;

import jakarta.inject.Inject;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

/**
 * A reader who follows a dead link ({@code /nope}) gets the site's 404 page, with a link to the
 * index, instead of the API's JSON 404: for a request that asks for HTML (a browser's Accept
 * header), to a path outside {@code /api/} and Quarkus's {@code /q/}. Scripts, curl's
 * {@code *}{@code /*} and every path under {@code /api/} keep the JSON {@code {"error", "field"}}.
 */
public class PageNotFound {
    private static final List<String> JSON_ONLY = List.of("/api/", "/q/");

    @Inject
    ChapterLibrary library;

    @ServerResponseFilter
    public void htmlForReaders(ContainerRequestContext request,
            ContainerResponseContext response) {
        if (response.getStatus() != 404 || response.getMediaType() == null
                || !MediaType.APPLICATION_JSON_TYPE.isCompatible(response.getMediaType())) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (JSON_ONLY.stream().anyMatch(p -> path.startsWith(p) || path.equals(p.substring(0,
                p.length() - 1))) || !asksForHtml(request.getHeaderString(HttpHeaders.ACCEPT))) {
            return;
        }
        response.setEntity(ChapterTemplates.notFound(null, path, library.all()).render(), null,
                MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"));
    }

    /** Whether an Accept header names HTML itself, as browsers' do for a page. */
    static boolean asksForHtml(String accept) {
        return accept != null && (accept.contains("text/html")
                || accept.contains("application/xhtml+xml"));
    }
}
