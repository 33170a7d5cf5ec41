package dev.mhanotebook.model;

import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.NativeOps;
import dev.mhanotebook.engine.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Not a test: prints load time, forward and head-importance timings and the attention patterns
 * of the sample sentence, for the notes and the chapter. Timings are medians of simple loops
 * (a JMH benchmark will replace them). Run with the test classpath:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.mhanotebook.model.ModelMeasurements}.
 */
public final class ModelMeasurements {
    private ModelMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        long t0 = System.nanoTime();
        Nd4j.create(1);
        long nd4jInit = System.nanoTime() - t0;
        // As the server does (mha.compute.native-threads): one OpenMP/BLAS thread per operation.
        int threads = Integer.getInteger("threads", 1);
        NativeOps.useThreads(threads);
        out("native threads per operation: %d", threads);
        MiniLm model = MiniLm.load(Path.of("target", "djl-cache"));
        MiniLmConfig c = model.config();
        out("ND4J backend start-up %.0f ms; model load (weights + tokenizer) %.0f ms",
                nd4jInit / 1e6, model.loadNanos() / 1e6);

        Tokenized sample = model.tokenize(ModelFixture.SAMPLE);
        long[] ids = sample.ids();
        HeadMask none = HeadMask.none(c);
        out("forward 16 tokens, attention captured: median %.1f ms",
                median(50, () -> model.run(ids, none, ComputeControl.NONE)));
        out("head importance 16 tokens: median %.1f ms",
                median(10, () -> model.headImportance(ids, ComputeControl.NONE)));
        long[] ids128 = model.tokenize("word ".repeat(200)).ids();
        out("forward 128 tokens, attention captured: median %.1f ms",
                median(10, () -> model.run(ids128, none, ComputeControl.NONE)));
        out("head importance 128 tokens: median %.1f ms",
                median(3, () -> model.headImportance(ids128, ComputeControl.NONE)));

        patterns(model, sample);
    }

    static void patterns(MiniLm model, Tokenized t) {
        MiniLmConfig c = model.config();
        Tensor a = model.run(t.ids(), HeadMask.none(c), ComputeControl.NONE).attention();
        int len = t.length();
        int it = t.tokens().indexOf("it");
        int animal = t.tokens().indexOf("animal");
        int street = t.tokens().indexOf("street");
        out("tokens %s; it=%d animal=%d street=%d", t.tokens(), it, animal, street);

        int prefer = 0;
        List<String> preferring = new ArrayList<>();
        StringBuilder grid = new StringBuilder();
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.heads(); h++) {
                float toAnimal = a.get(l, h, it, animal);
                float toStreet = a.get(l, h, it, street);
                if (toAnimal > toStreet) {
                    prefer++;
                    preferring.add(l + "." + h);
                }
                grid.append(String.format(Locale.ROOT, "%6.3f/%5.3f", toAnimal, toStreet));
            }
            grid.append('\n');
        }
        out("heads where 'it' attends more to 'animal' than to 'street': %d of 72 %s", prefer,
                preferring);
        out("'it' -> animal/street per head (rows = layers):%n%s", grid);

        float best = 0;
        String bestHead = "";
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.heads(); h++) {
                if (a.get(l, h, it, animal) > best) {
                    best = a.get(l, h, it, animal);
                    bestHead = l + "." + h;
                }
            }
        }
        out("largest 'it' -> 'animal' weight: %.3f in head %s", best, bestHead);

        report("previous-token (mean a[i][i-1], i>=1)", a, c, len, (l, h) -> {
            double s = 0;
            for (int i = 1; i < len; i++) {
                s += a.get(l, h, i, i - 1);
            }
            return s / (len - 1);
        });
        report("next-token (mean a[i][i+1], i<L-1)", a, c, len, (l, h) -> {
            double s = 0;
            for (int i = 0; i < len - 1; i++) {
                s += a.get(l, h, i, i + 1);
            }
            return s / (len - 1);
        });
        report("[CLS]-parking (mean a[i][0])", a, c, len, (l, h) -> {
            double s = 0;
            for (int i = 0; i < len; i++) {
                s += a.get(l, h, i, 0);
            }
            return s / len;
        });
        report("[SEP]-parking (mean a[i][L-1])", a, c, len, (l, h) -> {
            double s = 0;
            for (int i = 0; i < len; i++) {
                s += a.get(l, h, i, len - 1);
            }
            return s / len;
        });
        report("self (mean a[i][i])", a, c, len, (l, h) -> {
            double s = 0;
            for (int i = 0; i < len; i++) {
                s += a.get(l, h, i, i);
            }
            return s / len;
        });

        StringBuilder entropy = new StringBuilder();
        for (int l = 0; l < c.layers(); l++) {
            double e = 0;
            for (int h = 0; h < c.heads(); h++) {
                for (int i = 0; i < len; i++) {
                    for (int k = 0; k < len; k++) {
                        double p = a.get(l, h, i, k);
                        e -= p > 0 ? p * Math.log(p) : 0;
                    }
                }
            }
            entropy.append(String.format(Locale.ROOT, " L%d %.2f", l, e / (c.heads() * len)));
        }
        out("mean attention entropy per row by layer (nats; uniform over %d = %.2f):%s", len,
                Math.log(len), entropy);

        float[][] importance = model.headImportance(t.ids(), ComputeControl.NONE);
        StringBuilder imp = new StringBuilder();
        float max = 0;
        String maxHead = "";
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.heads(); h++) {
                imp.append(String.format(Locale.ROOT, "%8.5f", importance[l][h]));
                if (importance[l][h] > max) {
                    max = importance[l][h];
                    maxHead = l + "." + h;
                }
            }
            imp.append('\n');
        }
        out("head importance (1 - cosine), rows = layers:%n%smost important: %s (%.5f)", imp,
                maxHead, max);
    }

    interface Score {
        double of(int layer, int head);
    }

    private static void report(String name, Tensor a, MiniLmConfig c, int len, Score score) {
        List<String> strong = new ArrayList<>();
        double best = 0;
        String bestHead = "";
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.heads(); h++) {
                double s = score.of(l, h);
                if (s > 0.5) {
                    strong.add(String.format(Locale.ROOT, "%d.%d=%.2f", l, h, s));
                }
                if (s > best) {
                    best = s;
                    bestHead = l + "." + h;
                }
            }
        }
        out("%s: %d heads above 0.5 %s; strongest %s (%.2f)", name, strong.size(), strong,
                bestHead, best);
    }

    /**
     * Median wall-clock milliseconds of {@code n} runs after 3 warm-ups; also prints the median
     * CPU time of the process per run, which a busy machine inflates less than wall-clock time
     * (with OMP_NUM_THREADS=1 it is the work itself; with more threads it includes spinning).
     */
    private static double median(int n, Runnable work) {
        var os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < 3; i++) {
            work.run();
        }
        double[] ms = new double[n];
        double[] cpu = new double[n];
        for (int i = 0; i < n; i++) {
            long c = os.getProcessCpuTime();
            long t = System.nanoTime();
            work.run();
            ms[i] = (System.nanoTime() - t) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - c) / 1e6;
        }
        Arrays.sort(ms);
        Arrays.sort(cpu);
        System.out.printf(Locale.ROOT, "  (min %.1f ms; median CPU %.1f ms; load %.1f)%n", ms[0],
                cpu[n / 2], os.getSystemLoadAverage());
        return ms[n / 2];
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
