package dev.mhanotebook.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import dev.mhanotebook.engine.Implementation;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import org.bytedeco.javacpp.Pointer;

/**
 * JavaCPP's view of off-heap memory as gauges, for the leak check and for the teacher: what
 * ND4J holds now ({@code totalBytes}), what the process holds ({@code physicalBytes}) and their
 * bounds. At start-up, one line checks that the busiest moment fits those bounds.
 */
public class MemoryMetrics {

    void onStart(@Observes StartupEvent event, MeterRegistry registry, ComputeGate gate,
            ComputeLimits limits) {
        Gauge.builder("mha.javacpp.total.bytes", Pointer::totalBytes).baseUnit("bytes")
                .description("Off-heap bytes JavaCPP has allocated and not yet freed")
                .register(registry);
        Gauge.builder("mha.javacpp.physical.bytes", Pointer::physicalBytes).baseUnit("bytes")
                .description("Resident memory of the process as JavaCPP counts it")
                .register(registry);
        Gauge.builder("mha.javacpp.max.bytes", Pointer::maxBytes).baseUnit("bytes")
                .description("org.bytedeco.javacpp.maxbytes").register(registry);
        Gauge.builder("mha.javacpp.max.physical.bytes", Pointer::maxPhysicalBytes)
                .baseUnit("bytes").description("org.bytedeco.javacpp.maxphysicalbytes")
                .register(registry);

        // The busiest moment: every slot running the most expensive request its budget allows.
        long largest = 0;
        for (Implementation implementation : Implementation.values()) {
            largest = Math.max(largest, limits.budget(implementation).maxBytes());
        }
        long busiest = gate.concurrency() * largest;
        String line = String.format("%d computations at once x budget %s = %s off-heap at most; "
                        + "javacpp maxbytes %s, maxphysicalbytes %s, heap %s",
                gate.concurrency(), Units.bytes(largest), Units.bytes(busiest),
                Units.bytes(Pointer.maxBytes()), Units.bytes(Pointer.maxPhysicalBytes()),
                Units.bytes(Runtime.getRuntime().maxMemory()));
        if (Pointer.maxBytes() > 0 && busiest > Pointer.maxBytes()) {
            Log.warn(line + ": busy moments may be refused with 503; see docs/self-hosting.md");
        } else {
            Log.info(line);
        }
    }
}
