package dev.mhanotebook.http;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Answers a body past {@code quarkus.http.limits.max-body-size} with 413 and a JSON message, like
 * every other refusal; Quarkus's own check would answer with an empty body. A declared length is
 * refused before the body is read; a chunked body is cut off where it passes the limit.
 */
public class BodyLimit {

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") Optional<MemorySize> max) {
        if (max.isEmpty()) {
            return;
        }
        long limit = max.get().asLongValue();
        router.route().order(-250).handler(rc -> {
            String length = rc.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && tooLong(length, limit)) {
                rc.response().putHeader(HttpHeaders.CONNECTION, "close");
                tooLarge(rc, limit);
            } else {
                rc.next();
            }
        }).failureHandler(rc -> {
            if (rc.statusCode() == 413 && !rc.response().headWritten()) {
                tooLarge(rc, limit);
            } else {
                rc.next();
            }
        });
    }

    private static boolean tooLong(String length, long limit) {
        try {
            return Long.parseLong(length.trim()) > limit;
        } catch (NumberFormatException e) {
            return false; // Vert.x refuses a malformed Content-Length itself.
        }
    }

    private static void tooLarge(RoutingContext rc, long limit) {
        rc.response().setStatusCode(413).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(new JsonObject().put("error", "the request body is too large: at most "
                        + limit + " bytes").putNull("field").encode());
    }
}
