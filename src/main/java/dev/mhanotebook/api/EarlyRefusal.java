package dev.mhanotebook.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

/**
 * Refuses a tutorial experiment or a model computation on the event loop, before its body is
 * read and checked, when the compute gate's queue for it is already full. Past saturation a
 * client that ignores Retry-After sends again at once, and refusing each request only after a
 * worker thread has parsed and checked it cost the computations their CPU: the load test's
 * stress profile served 1,134 experiments a second at 64 connections and 483 at 128
 * (docs/load-test.md). The answer is the gate's own: 429, Retry-After 1, the same message.
 */
@Singleton
public class EarlyRefusal {
    private final ComputeGate gate;

    public EarlyRefusal(ComputeGate gate) {
        this.gate = gate;
    }

    void install(@Observes Router router) {
        // After the security headers (-300), the body limit (-250) and the rate limit (-200).
        router.route(HttpMethod.POST, "/api/v1/attention").order(-150)
                .handler(rc -> refuseIfFull(rc, "vectorized"));
        router.route(HttpMethod.POST, "/api/v1/model/*").order(-150)
                .handler(rc -> refuseIfFull(rc, "model-attention"));
    }

    private void refuseIfFull(RoutingContext rc, String kind) {
        if (!gate.queueFull(kind)) {
            rc.next();
            return;
        }
        ComputeGate.BusyException busy = gate.refuseQueueFull();
        rc.response().setStatusCode(429)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Retry-After", Integer.toString(busy.retryAfterSeconds()))
                .end(new JsonObject().put("error", busy.getMessage()).putNull("field").encode());
    }
}
