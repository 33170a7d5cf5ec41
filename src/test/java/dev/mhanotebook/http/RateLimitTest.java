package dev.mhanotebook.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The rate limit counts per client token, and requests without a valid token share one bucket.
 * Plain JUnit: a second Quarkus start-up with other settings would load the tokenizer's native
 * library again in a new class loader, which the JVM refuses. The HTTP side (cookie, 429 with
 * Retry-After and JSON) is covered by SecurityHeadersTest and by the load test.
 */
class RateLimitTest {

    record Config(boolean enabled, long capacity, long perMinute, long anonymousCapacity,
            long anonymousPerMinute, int maxClients, String cookie, Optional<String> secret)
            implements ClientRateLimit.Config {
    }

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    final ClientRateLimit limit = new ClientRateLimit(new Config(true, 3, 1, 2, 1, 100,
            "mha_client", Optional.empty()), registry);

    @Test
    void eachClientHasItsOwnBucket() {
        String alice = limit.newToken();
        String bob = limit.newToken();
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limit.take(alice));
        }
        long wait = limit.take(alice);
        // One a minute: the next request is a minute away.
        assertTrue(wait > 50 && wait <= 60, "wait " + wait + " s");
        // Bob, behind the same address, is not affected.
        assertEquals(0, limit.take(bob));
        assertEquals(1.0, registry.counter("mha.rejections", "status", "429", "reason",
                "rate-limit").count());
    }

    @Test
    void forgedAndMissingTokensShareOneBucket() {
        assertEquals(0, limit.take(null));
        assertEquals(0, limit.take("forged.abc"));
        assertTrue(limit.take("forged2." + limit.newToken().split("\\.")[1]) > 0);
        assertTrue(limit.take(null) > 0);
    }

    @Test
    void tokensAreSignedByThisServer() {
        String token = limit.newToken();
        assertTrue(limit.valid(token));
        ClientRateLimit other = new ClientRateLimit(new Config(true, 3, 1, 2, 1, 100,
                "mha_client", Optional.empty()), new SimpleMeterRegistry());
        assertFalse(other.valid(token));
        assertFalse(limit.valid(token.substring(1)));
        assertFalse(limit.valid("not a token"));
    }

    @Test
    void sharedSecretMakesTokensValidOnEveryReplica() {
        Config shared = new Config(true, 3, 1, 2, 1, 100, "mha_client", Optional.of("s3cret"));
        ClientRateLimit a = new ClientRateLimit(shared, new SimpleMeterRegistry());
        ClientRateLimit b = new ClientRateLimit(shared, new SimpleMeterRegistry());
        assertTrue(b.valid(a.newToken()));
    }
}
