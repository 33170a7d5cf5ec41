package dev.mhanotebook.http;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A per-client rate limit on the API, keyed by a client token in a cookie, not by address: a
 * classroom behind one router is one address. Every response that arrives without a valid token
 * sets one, so a browser has its token from the first page it opens.
 *
 * <p>Each token has a token bucket ({@code capacity} requests at once, refilled at
 * {@code per-minute}). Tokens are signed, so a client cannot invent fresh ones; a request without
 * a valid token is charged to one shared bucket, which bounds how fast new tokens can be had. This
 * keeps one eager browser from starving the others; it does not stop a determined script, which
 * the compute gate's bounded queue does.
 */
@ApplicationScoped
public class ClientRateLimit {

    @ConfigMapping(prefix = "mha.rate-limit")
    public interface Config {
        /** false turns the limit off; the cookie is still set. */
        @WithDefault("true")
        boolean enabled();

        /** Requests a client may send at once. */
        @WithDefault("20")
        long capacity();

        /** Requests a client may send per minute, sustained. */
        @WithDefault("60")
        long perMinute();

        /** The shared bucket of requests without a valid token: at once. */
        @WithDefault("200")
        long anonymousCapacity();

        /** The shared bucket of requests without a valid token: per minute. */
        @WithDefault("600")
        long anonymousPerMinute();

        /** Clients remembered at once; idle ones are forgotten first. */
        @WithDefault("10000")
        int maxClients();

        @WithDefault("mha_client")
        String cookie();

        /**
         * Key that signs the tokens; give every replica the same one. Unset: a random key per
         * start, so tokens are re-issued after a restart.
         */
        Optional<String> secret();
    }

    private static final String PREFIX = "/api/";
    private static final int ID_BYTES = 16;
    private static final int SIGNATURE_BYTES = 16;

    private final Config config;
    private final byte[] key;
    private final ThreadLocal<Mac> mac;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Client> clients = new ConcurrentHashMap<>();
    private final Bucket anonymous;
    private final Counter rejected;
    private final long idleNanos;

    private record Client(Bucket bucket, long[] lastUsed) {
    }

    public ClientRateLimit(Config config, MeterRegistry registry) {
        this.config = config;
        this.key = config.secret().map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElseGet(() -> {
                    byte[] k = new byte[32];
                    random.nextBytes(k);
                    return k;
                });
        this.mac = ThreadLocal.withInitial(this::newMac);
        this.anonymous = bucket(config.anonymousCapacity(), config.anonymousPerMinute());
        this.rejected = Counter.builder("mha.rejections")
                .description("Requests refused, by status and reason")
                .tag("status", "429").tag("reason", "rate-limit").register(registry);
        Gauge.builder("mha.rate-limit.clients", clients, Map::size)
                .description("Clients with a bucket").register(registry);
        // A bucket idle this long is full again: forgetting it changes nothing.
        this.idleNanos = TimeUnit.MINUTES.toNanos(1) * config.capacity()
                / Math.max(1, config.perMinute()) + TimeUnit.SECONDS.toNanos(1);
    }

    void install(@Observes Router router) {
        router.route().order(-200).handler(this::handle);
    }

    private void handle(RoutingContext rc) {
        Cookie cookie = rc.request().getCookie(config.cookie());
        String token = cookie == null ? null : cookie.getValue();
        if (token == null || !valid(token)) {
            rc.response().addCookie(Cookie.cookie(config.cookie(), newToken()).setPath("/")
                    .setHttpOnly(true).setSameSite(CookieSameSite.LAX)
                    .setSecure(rc.request().isSSL()).setMaxAge(TimeUnit.DAYS.toSeconds(365)));
        }
        if (!config.enabled() || !rc.normalizedPath().startsWith(PREFIX)) {
            rc.next();
            return;
        }
        long seconds = take(token);
        if (seconds == 0) {
            rc.next();
            return;
        }
        rc.response().setStatusCode(429)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader("Retry-After", Long.toString(seconds))
                .end(new JsonObject().put("error", "too many requests from this browser: at most "
                        + config.perMinute() + " a minute; try again in " + seconds + " s")
                        .putNull("field").encode());
    }

    /**
     * Takes one request from the bucket of {@code cookie} (the shared one when it is missing or
     * not a valid token).
     *
     * @return 0 when the request may go on, else the seconds to wait
     */
    long take(String cookie) {
        ConsumptionProbe probe = bucketOf(cookie == null || !valid(cookie) ? null : cookie)
                .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            return 0;
        }
        rejected.increment();
        return Math.max(1, (probe.getNanosToWaitForRefill() + 999_999_999) / 1_000_000_000);
    }

    private Bucket bucketOf(String token) {
        if (token == null) {
            return anonymous;
        }
        long now = System.nanoTime();
        Client client = clients.get(token);
        if (client == null) {
            if (clients.size() >= config.maxClients()) {
                clients.values().removeIf(c -> now - c.lastUsed()[0] > idleNanos);
                if (clients.size() >= config.maxClients()) {
                    return anonymous;
                }
            }
            client = clients.computeIfAbsent(token, t -> new Client(
                    bucket(config.capacity(), config.perMinute()), new long[] {now}));
        }
        client.lastUsed()[0] = now;
        return client.bucket();
    }

    private static Bucket bucket(long capacity, long perMinute) {
        return Bucket.builder().addLimit(limit -> limit.capacity(capacity)
                .refillGreedy(perMinute, Duration.ofMinutes(1))).build();
    }

    /** {@code id.signature}, both base64url: 16 random bytes and their truncated HMAC-SHA256. */
    String newToken() {
        byte[] id = new byte[ID_BYTES];
        random.nextBytes(id);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(id) + "." + b64.encodeToString(sign(id));
    }

    boolean valid(String token) {
        int dot = token.indexOf('.');
        if (dot < 0 || token.length() > 64) {
            return false;
        }
        try {
            byte[] id = Base64.getUrlDecoder().decode(token.substring(0, dot));
            byte[] signature = Base64.getUrlDecoder().decode(token.substring(dot + 1));
            return id.length == ID_BYTES && MessageDigest.isEqual(signature, sign(id));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private byte[] sign(byte[] id) {
        byte[] full = mac.get().doFinal(id);
        byte[] out = new byte[SIGNATURE_BYTES];
        System.arraycopy(full, 0, out, 0, SIGNATURE_BYTES);
        return out;
    }

    private Mac newMac() {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            return m;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java 17 runtime", e);
        }
    }
}
