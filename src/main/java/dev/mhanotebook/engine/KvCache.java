package dev.mhanotebook.engine;

/**
 * The memory a decoder's key/value cache takes: every layer keeps, for every sequence of the
 * batch and every position so far, one key and one value vector of {@code d_k} numbers per
 * key/value head. Sharing key/value heads (Shazeer 2019; Ainslie et al. 2023, §2.2) divides it by
 * {@code h / kvHeads}.
 *
 * <pre>
 * bytes = 2 · layers · kvHeads · headDim · sequenceLength · batch · bytesPerNumber
 * </pre>
 *
 * @param layers         decoder layers
 * @param heads          query heads h
 * @param kvHeads        key/value heads; divides h
 * @param headDim        d_k
 * @param sequenceLength positions cached
 * @param batch          sequences decoded at once
 * @param bytesPerNumber 2 for float16 or bfloat16, 4 for float32, 1 for 8-bit
 */
public record KvCache(int layers, int heads, int kvHeads, int headDim, long sequenceLength,
        int batch, int bytesPerNumber) {

    public KvCache {
        if (layers <= 0 || heads <= 0 || kvHeads <= 0 || headDim <= 0 || sequenceLength <= 0
                || batch <= 0 || bytesPerNumber <= 0) {
            throw new IllegalArgumentException("every size of a KV cache must be positive");
        }
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(
                    "kvHeads must divide heads (heads=" + heads + ", kvHeads=" + kvHeads + ")");
        }
    }

    /** Bytes of the cache with this many key/value heads. */
    public long bytes(int keyValueHeads) {
        return Math.multiplyExact(Math.multiplyExact(Math.multiplyExact(
                2L * layers * keyValueHeads * headDim, sequenceLength), (long) batch),
                (long) bytesPerNumber);
    }

    /** Grouped-query (or whatever {@code kvHeads} says). */
    public long bytes() {
        return bytes(kvHeads);
    }

    /** Classic multi-head attention: one key/value head per query head. */
    public long multiHeadBytes() {
        return bytes(heads);
    }

    /** Multi-query attention: one key/value head for all. */
    public long multiQueryBytes() {
        return bytes(1);
    }

    /** Bytes added per generated token (all layers, whole batch). */
    public long bytesPerToken() {
        return bytes() / sequenceLength;
    }
}
