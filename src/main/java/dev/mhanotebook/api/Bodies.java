package dev.mhanotebook.api;

/** The one rule for a missing body, the same on every endpoint. */
final class Bodies {
    private Bodies() {
    }

    /** The request, or a 400 when the body was missing (an empty object means all defaults). */
    static <T> T require(T request) {
        if (request == null) {
            throw new BadInputException(null,
                    "the request body is missing: send a JSON object, {} for all defaults");
        }
        return request;
    }
}
