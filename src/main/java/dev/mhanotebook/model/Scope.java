package dev.mhanotebook.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arrays one computation creates, closed together at its end so their off-heap memory is
 * freed at once rather than when the garbage collector gets to them. Views and the shared
 * weights are never registered.
 */
final class Scope implements AutoCloseable {
    private final List<INDArray> owned = new ArrayList<>();

    INDArray own(INDArray a) {
        owned.add(a);
        return a;
    }

    @Override
    public void close() {
        for (INDArray a : owned) {
            if (a.closeable()) {
                a.close();
            }
        }
        owned.clear();
    }
}
