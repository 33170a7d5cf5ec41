package dev.mhanotebook.model;

import java.util.List;

/**
 * A text as the model reads it: word pieces with [CLS] first and [SEP] last.
 *
 * @param tokens    the word pieces, e.g. {@code [CLS], the, animal, didn, ', t, …, [SEP]}
 * @param ids       their vocabulary ids, one per token
 * @param truncated whether the text had more tokens than the model reads and was cut
 */
public record Tokenized(List<String> tokens, long[] ids, boolean truncated) {

    public int length() {
        return ids.length;
    }
}
