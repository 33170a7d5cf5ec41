package dev.mhanotebook.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One server-sent event of a long job, sent as JSON in the event's data.
 *
 * @param type     {@code queued}, {@code started}, {@code progress}, {@code point} (one measured
 *                 result), {@code done}, {@code cancelled} or {@code error}; the last three end
 *                 the stream
 * @param jobId    the job
 * @param fraction how much of the job is done, 0 to 1
 * @param message  what happened, for the page
 * @param data     the measured point, or the summary when done; null otherwise
 */
@Schema(name = "JobEvent")
public record JobEvent(String type, String jobId, double fraction, String message, Object data) {

    boolean ends() {
        return "done".equals(type) || "cancelled".equals(type) || "error".equals(type);
    }
}
