package dev.mhanotebook.chapters;

/** A chapter in {@code content/} that cannot be served as written; the message names the file. */
public class ChapterException extends RuntimeException {
    public ChapterException(String message) {
        super(message);
    }
}
