package dev.mhanotebook.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * With mha.jobs.enabled=false a class's server refuses long jobs with 503 and says why. Plain
 * JUnit: a second Quarkus start with another profile cannot load the tokenizer's native library
 * again in the same JVM ("already loaded in another classloader").
 */
class JobsDisabledTest {

    private static JobQueue.Config off() {
        return new JobQueue.Config() {
            @Override
            public boolean enabled() {
                return false;
            }

            @Override
            public int slots() {
                return 1;
            }

            @Override
            public int queue() {
                return 4;
            }

            @Override
            public Duration timeLimit() {
                return Duration.ofSeconds(120);
            }

            @Override
            public Duration connectWait() {
                return Duration.ofSeconds(30);
            }

            @Override
            public Duration keep() {
                return Duration.ofMinutes(10);
            }
        };
    }

    @Test
    void switchedOffJobsAnswer503() {
        JobsResource jobs = new JobsResource(new JobQueue(off(),
                new ComputeGateTest.Config(1, 1, Duration.ofSeconds(5), Duration.ofSeconds(10))),
                null);
        JobQueue.DisabledException e = assertThrows(JobQueue.DisabledException.class,
                () -> jobs.lengthSweep(null));
        assertTrue(e.getMessage().contains("mha.jobs.enabled=false"), e.getMessage());
        assertEquals(503, new ErrorMappers().jobsOff(e).getStatus());
    }
}
