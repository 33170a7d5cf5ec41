package dev.mhanotebook.engine;

import java.util.function.Supplier;

/**
 * Counts the bytes of the ND4J arrays the engine holds while a computation runs, so that the
 * peak it reports is measured rather than estimated. Every array an implementation registers with
 * its scope ({@code Arrays4.own}) is counted from that moment until the scope closes; views share
 * their parent's memory and count nothing. Small temporaries ND4J creates inside one call (a row
 * maximum before it is registered, say) are not seen, so the ledger slightly undercounts; the
 * {@link CostModel} estimate is meant to bound it, and a test checks that it does.
 *
 * <p>The ledger belongs to the thread that opened it: a computation runs on one thread.
 */
public final class MemoryLedger {
    private static final ThreadLocal<MemoryLedger> CURRENT = new ThreadLocal<>();

    private long live;
    private long peak;

    private MemoryLedger() {
    }

    /** A value, and the most bytes of engine arrays alive at once while computing it. */
    public record Measured<T>(T value, long peakBytes) {
    }

    /** Runs {@code work} with a fresh ledger on this thread; returns its result and the peak. */
    public static <T> Measured<T> measure(Supplier<T> work) {
        MemoryLedger outer = CURRENT.get();
        MemoryLedger ledger = new MemoryLedger();
        CURRENT.set(ledger);
        try {
            T value = work.get();
            return new Measured<>(value, ledger.peak);
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
    }

    /** Records {@code bytes} newly held; returns them so the scope can give them back later. */
    static long hold(long bytes) {
        MemoryLedger ledger = CURRENT.get();
        if (ledger != null && bytes > 0) {
            ledger.live += bytes;
            ledger.peak = Math.max(ledger.peak, ledger.live);
        }
        return bytes;
    }

    /** Records {@code bytes} released. */
    static void release(long bytes) {
        MemoryLedger ledger = CURRENT.get();
        if (ledger != null) {
            ledger.live -= bytes;
        }
    }
}
