package dev.mhanotebook.engine;

/** How far apart two tensors of the same shape are. */
public final class Compare {
    private Compare() {
    }

    /** ‖a − b‖_F / ‖b‖_F, with {@code b} the reference; 0 when both are zero. */
    public static double relativeError(Tensor a, Tensor b) {
        requireSameShape(a, b);
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < a.data().length; i++) {
            double d = (double) a.data()[i] - b.data()[i];
            diff += d * d;
            ref += (double) b.data()[i] * b.data()[i];
        }
        return ref == 0 ? Math.sqrt(diff) : Math.sqrt(diff / ref);
    }

    /** max |a − b|. */
    public static double maxAbsDifference(Tensor a, Tensor b) {
        requireSameShape(a, b);
        double max = 0;
        for (int i = 0; i < a.data().length; i++) {
            max = Math.max(max, Math.abs((double) a.data()[i] - b.data()[i]));
        }
        return max;
    }

    private static void requireSameShape(Tensor a, Tensor b) {
        if (!java.util.Arrays.equals(a.shape(), b.shape())) {
            throw new IllegalArgumentException("shapes differ: "
                    + java.util.Arrays.toString(a.shape()) + " vs "
                    + java.util.Arrays.toString(b.shape()));
        }
    }
}
