package dev.mhanotebook.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.mhanotebook.engine.Tensor;
import java.io.IOException;

/**
 * Writes a {@link Tensor} as nested JSON arrays of its shape. JSON has no infinity, so a masked
 * score (−∞) is written as null.
 */
final class TensorJson extends StdSerializer<Tensor> {
    TensorJson() {
        super(Tensor.class);
    }

    @Override
    public void serialize(Tensor t, JsonGenerator gen, SerializerProvider provider) throws IOException {
        write(t, 0, 0, gen);
    }

    /** Writes the sub-array at {@code dim} starting at flat offset {@code offset}; returns its size. */
    private static long write(Tensor t, int dim, long offset, JsonGenerator gen) throws IOException {
        gen.writeStartArray();
        long n = t.shape()[dim];
        long stride = 1;
        if (dim == t.shape().length - 1) {
            float[] data = t.data();
            for (long i = 0; i < n; i++) {
                float v = data[(int) (offset + i)];
                if (Float.isFinite(v)) {
                    gen.writeNumber(v);
                } else {
                    gen.writeNull();
                }
            }
        } else {
            for (long i = 0; i < n; i++) {
                stride = write(t, dim + 1, offset + i * stride, gen);
            }
        }
        gen.writeEndArray();
        return n * stride;
    }
}
