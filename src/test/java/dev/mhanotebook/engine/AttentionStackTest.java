package dev.mhanotebook.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The hand-written backward pass of a stack of attention layers. Finite differences run in
 * float64 on 3 layers of L = 4, d_model = 6, h = 2; the checkpointing comparison in float32.
 */
class AttentionStackTest {
    private static final double EPS = 1e-6;

    @Test
    void gradientsMatchFloat64FiniteDifferences() {
        AttentionStack.StackSpec s = new AttentionStack.StackSpec(3, 4, 6, 2, 0);
        AttentionStack.Problem problem = AttentionStack.Problem.draw(s, 9, DataType.DOUBLE);
        AttentionStack.Run run = AttentionStack.run(s, problem, false, ComputeControl.NONE);

        // The input: every component.
        checkAgainstFiniteDifferences(s, problem, problem.x(), run.inputGradient(), 1);
        // Every weight matrix of the first and the last layer, every fifth component.
        for (int l : new int[] {0, 2}) {
            AttentionStack.Layer w = problem.layers().get(l);
            AttentionStack.LayerGrad g = run.grads().get(l);
            checkAgainstFiniteDifferences(s, problem, w.wq(), g.wq(), 5);
            checkAgainstFiniteDifferences(s, problem, w.wk(), g.wk(), 5);
            checkAgainstFiniteDifferences(s, problem, w.wv(), g.wv(), 5);
            checkAgainstFiniteDifferences(s, problem, w.wo(), g.wo(), 5);
        }
    }

    /** Central differences: (loss(θ + ε) − loss(θ − ε)) / 2ε for every component of θ. */
    private static void checkAgainstFiniteDifferences(AttentionStack.StackSpec s,
            AttentionStack.Problem problem, INDArray theta, INDArray analytic, int stride) {
        for (long i = 0; i < theta.length(); i += stride) {
            double saved = theta.getDouble(i);
            theta.putScalar(i, saved + EPS);
            double up = loss(s, problem);
            theta.putScalar(i, saved - EPS);
            double down = loss(s, problem);
            theta.putScalar(i, saved);
            double numeric = (up - down) / (2 * EPS);
            double a = analytic.getDouble(i);
            assertEquals(numeric, a, 1e-6 * Math.max(1, Math.abs(numeric)),
                    "component " + i + " of " + java.util.Arrays.toString(theta.shape()));
        }
    }

    private static double loss(AttentionStack.StackSpec s, AttentionStack.Problem problem) {
        return AttentionStack.loss(s, problem);
    }

    @Test
    void checkpointedGradientsEqualPlainOnesAndKeepFewerBytes() {
        AttentionStack.StackSpec s = new AttentionStack.StackSpec(9, 32, 32, 4, 0);
        AttentionStack.Comparison c = AttentionStack.compare(s, 4, ComputeControl.NONE);
        assertTrue(c.maxGradientDifference() < 1e-5, "difference " + c.maxGradientDifference());
        assertEquals(3, c.checkpointed().segment());
        assertEquals(9, c.checkpointed().recomputedLayers());
        assertEquals(0, c.plain().recomputedLayers());
        assertEquals(9 * c.plain().activationBytesPerLayer(), c.plain().activationBytesKept());
        assertTrue(c.checkpointed().activationBytesKept() < c.plain().activationBytesKept() / 2,
                c.checkpointed().activationBytesKept() + " vs " + c.plain().activationBytesKept());
        assertEquals(c.plain().loss(), c.checkpointed().loss(), 1e-6 * Math.abs(c.plain().loss()));
    }
}
