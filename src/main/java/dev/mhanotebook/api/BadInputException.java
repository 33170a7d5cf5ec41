package dev.mhanotebook.api;

/**
 * A request the API refuses because of what the reader sent. The message names the field, the
 * rule and the values, e.g. {@code heads must divide modelDim (modelDim=10, heads=3)}; it becomes a
 * 400 with {@code {"error", "field"}}.
 */
public class BadInputException extends RuntimeException {
    private final String field;

    public BadInputException(String field, String message) {
        super(message);
        this.field = field;
    }

    /** The JSON path of the offending field, such as {@code heads} or {@code weights.wq}. */
    public String field() {
        return field;
    }
}
