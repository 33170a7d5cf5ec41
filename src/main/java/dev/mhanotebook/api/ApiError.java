package dev.mhanotebook.api;

/**
 * The body of every error the API answers: what is wrong, and which field (null when the body as
 * a whole is at fault).
 */
public record ApiError(String error, String field) {
}
