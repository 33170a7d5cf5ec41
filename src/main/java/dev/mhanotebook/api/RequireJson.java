package dev.mhanotebook.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * A body sent to the API without a Content-Type is refused with 415, like one of another type:
 * the framework would otherwise read it as JSON anyway, and a client that forgets the header
 * should learn of it from the first request rather than from a proxy that drops the body.
 */
public class RequireJson {

    @ServerRequestFilter
    public Response requireContentType(ContainerRequestContext request) {
        boolean hasBody = "POST".equals(request.getMethod()) || "PUT".equals(request.getMethod());
        if (hasBody && request.getMediaType() == null
                && request.getUriInfo().getPath().startsWith("/api/")) {
            return Response.status(415).type(MediaType.APPLICATION_JSON)
                    .entity(new ApiError("send the body as application/json (the request has no "
                            + "Content-Type)", null)).build();
        }
        return null;
    }
}
