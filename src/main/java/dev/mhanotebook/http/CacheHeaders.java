package dev.mhanotebook.http;

import java.util.regex.Pattern;

import dev.mhanotebook.chapters.KatexFonts;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.event.Observes;

/**
 * Cache-Control of static files. A WebJar file addressed with its version in the path
 * ({@code /webjars/katex/0.16.4/dist/katex.min.js}, as the pages address them) never changes:
 * browsers keep it a year without asking. Everything else the server sends from {@code web/}
 * (our modules, styles, icon) keeps its name from one release to the next, so browsers keep it
 * but revalidate it on each use (a 304 while unchanged): a new release is seen at once, and
 * modules of two releases are never mixed. Pages and API answers are left as they are.
 */
public class CacheHeaders {

    /** A year, the longest lifetime HTTP caches honour. */
    static final String VERSIONED = "public, max-age=31536000, immutable";
    static final String REVALIDATE = "no-cache";

    private static final Pattern VERSIONED_WEBJAR = Pattern.compile("/webjars/[^/]+/\\d[^/]*/.+");

    /** KaTeX's font subsets, in a folder named by their version and the hash of their bytes. */
    private static final Pattern HASHED_FONT_SUBSET = Pattern.compile(
            "/" + KatexFonts.FOLDER + "/\\d[^/]*-[0-9a-f]{12}/[^/]+");

    private static final String REQUESTED_PATH = CacheHeaders.class.getName() + ".path";

    void install(@Observes Router router) {
        router.route().order(-290).handler(rc -> {
            // The WebJar locator reroutes /webjars/katex/... to /webjars/katex/0.16.4/..., which
            // runs this handler again (a reroute keeps the context's data, not its headers-end
            // handlers): the path the browser asked for decides, since that is what it caches.
            String path = rc.get(REQUESTED_PATH);
            if (path == null) {
                path = rc.normalizedPath();
                rc.put(REQUESTED_PATH, path);
            }
            String requested = path;
            rc.addHeadersEndHandler(v -> set(rc, requested));
            rc.next();
        });
    }

    private static void set(RoutingContext rc, String path) {
        // The static file handler sets Cache-Control on the files it serves (and on their 304s);
        // other responses have none, and keep none.
        if (!rc.response().headers().contains(HttpHeaders.CACHE_CONTROL)) {
            return;
        }
        rc.response().putHeader(HttpHeaders.CACHE_CONTROL,
                VERSIONED_WEBJAR.matcher(path).matches()
                        || HASHED_FONT_SUBSET.matcher(path).matches() ? VERSIONED : REVALIDATE);
    }
}
