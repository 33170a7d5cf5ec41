package dev.mhanotebook.http;

import io.quarkus.runtime.LaunchMode;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;

/**
 * Security headers on every response, pages, API, static files and errors alike. The policy lets
 * the page run only scripts served by this server (no inline script, no eval, no CDN) and be
 * framed by no one; inline styles stay allowed because KaTeX positions its glyphs with them.
 */
public class SecurityHeaders {

    /** The Content-Security-Policy, one directive per line of the source. */
    public static final String CSP = String.join("; ",
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'");

    void install(@Observes Router router) {
        boolean dev = LaunchMode.current() == LaunchMode.DEVELOPMENT;
        router.route().order(-300).handler(rc -> {
            // Dev UI pages rely on inline scripts; they exist only in dev mode.
            if (!(dev && rc.normalizedPath().startsWith("/q/dev"))) {
                rc.addHeadersEndHandler(v -> add(rc));
            }
            rc.next();
        });
    }

    private static void add(RoutingContext rc) {
        HttpServerResponse r = rc.response();
        r.putHeader("Content-Security-Policy", CSP);
        r.putHeader("X-Content-Type-Options", "nosniff");
        r.putHeader("Referrer-Policy", "no-referrer");
        r.putHeader("X-Frame-Options", "DENY");
        r.putHeader("Cross-Origin-Opener-Policy", "same-origin");
    }
}
