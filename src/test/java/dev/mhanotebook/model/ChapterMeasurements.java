package dev.mhanotebook.model;

import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.Tensor;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Not a test: prints every number the chapter "Attention in a trained model" quotes for its
 * sample sentence (patterns, rollout, pruning, similarity). Run with the test classpath:
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt)
 * dev.mhanotebook.model.ChapterMeasurements}.
 */
public final class ChapterMeasurements {
    private ChapterMeasurements() {
    }

    public static void main(String[] args) throws Exception {
        MiniLm model = MiniLm.load(Path.of("target", "djl-cache"));
        MiniLmConfig c = model.config();
        Tokenized t = model.tokenize(ModelFixture.SAMPLE);
        ModelMeasurements.patterns(model, t);

        Tensor a = model.run(t.ids(), HeadMask.none(c), ComputeControl.NONE).attention();
        Tensor rollout = AttentionRollout.of(a);
        int len = t.length();
        int it = t.tokens().indexOf("it");
        StringBuilder row = new StringBuilder();
        for (int k = 0; k < len; k++) {
            row.append(String.format(Locale.ROOT, " %s=%.3f", t.tokens().get(k),
                    rollout.get(it, k)));
        }
        out("rollout row of 'it':%s", row);
        StringBuilder cls = new StringBuilder();
        for (int k = 0; k < len; k++) {
            cls.append(String.format(Locale.ROOT, " %s=%.3f", t.tokens().get(k),
                    rollout.get(0, k)));
        }
        out("rollout row of [CLS]:%s", cls);
        double diag = 0;
        for (int i = 0; i < len; i++) {
            diag += rollout.get(i, i);
        }
        out("rollout mean diagonal %.3f (uniform %.3f)", diag / len, 1.0 / len);

        float[][] importance = model.headImportance(t.ids(), ComputeControl.NONE);
        List<int[]> order = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            for (int h = 0; h < c.heads(); h++) {
                order.add(new int[] {l, h});
            }
        }
        order.sort(Comparator.comparingDouble(lh -> importance[lh[0]][lh[1]]));
        double[] layerSum = new double[c.layers()];
        for (int[] lh : order) {
            layerSum[lh[0]] += importance[lh[0]][lh[1]];
        }
        for (int l = 0; l < c.layers(); l++) {
            out("layer %d: sum of single-head importance %.4f", l, layerSum[l]);
        }
        int below = 0;
        for (int[] lh : order) {
            if (importance[lh[0]][lh[1]] < 0.01) {
                below++;
            }
        }
        out("heads with importance < 0.01: %d of 72", below);
        for (int k : new int[] {1, 6, 12, 36}) {
            out("prune %d least important: cosine %.4f; %d most important: cosine %.4f", k,
                    cosine(model, t, order.subList(0, k)), k,
                    cosine(model, t, order.subList(order.size() - k, order.size())));
        }
        for (int l = 0; l < c.layers(); l++) {
            List<int[]> layer = new ArrayList<>();
            for (int h = 0; h < c.heads(); h++) {
                layer.add(new int[] {l, h});
            }
            out("prune whole layer %d: cosine %.4f", l, cosine(model, t, layer));
        }

        String other = "The dog was too tired to walk across the road.";
        String unrelated = "Stock prices fell sharply on Monday.";
        for (String o : new String[] {other, unrelated}) {
            Tokenized b = model.tokenize(o);
            for (boolean least : new boolean[] {true, false}) {
                List<int[]> prune = least ? order.subList(0, 36)
                        : order.subList(order.size() - 12, order.size());
                List<HeadMask> masks = List.of(HeadMask.none(c), HeadMask.of(c, prune));
                float[][] ea = model.embeddings(t.ids(), masks, ComputeControl.NONE);
                float[][] eb = model.embeddings(b.ids(), masks, ComputeControl.NONE);
                out("similarity to '%s': before %.4f, after pruning %d heads (%s) %.4f", o,
                        MiniLm.cosine(ea[0], eb[0]), prune.size(),
                        least ? "least" : "most",
                        MiniLm.cosine(ea[1], eb[1]));
            }
        }
    }

    private static double cosine(MiniLm model, Tokenized t, List<int[]> prune) {
        return model.run(t.ids(), HeadMask.of(model.config(), prune), ComputeControl.NONE)
                .cosine();
    }

    private static void out(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
    }
}
