package dev.mhanotebook.engine;

import java.util.List;

/**
 * One step of the computation as the shape trace shows it.
 *
 * @param name       the step's name, the same in Java, JSON and the page:
 *                   {@code q, k, v, splitHeads, scores, scaled, masked, attention, dropout,
 *                   headOutputs, concat, output}
 * @param formula    the step in LaTeX, in the notation of the notation page
 * @param inputs     the named shapes that go in
 * @param outputShape the shape that comes out
 * @param flops      floating-point operations in matrix products: 2 per multiply–add
 * @param elementOps element-wise operations (scaling, masking, exponentials, divisions)
 * @param bytes      bytes of the step's output in float32
 * @param value      the step's output while it is small enough to show, else null
 */
public record TraceStep(
        String name,
        String formula,
        List<NamedShape> inputs,
        long[] outputShape,
        long flops,
        long elementOps,
        long bytes,
        Tensor value) {

    /** A named tensor shape, such as {@code X [1, 6, 16]}. */
    public record NamedShape(String name, long[] shape) {
    }

    public static NamedShape in(String name, long... shape) {
        return new NamedShape(name, shape);
    }

    public static long bytesOf(long... shape) {
        long n = Float.BYTES;
        for (long s : shape) {
            n *= s;
        }
        return n;
    }
}
