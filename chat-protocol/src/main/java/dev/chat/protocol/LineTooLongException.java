package dev.chat.protocol;

/** A line was longer than the limit; it has been discarded and reading may go on with the next line. */
public final class LineTooLongException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int limit;

    public LineTooLongException(int limit) {
        super("line longer than " + limit + " bytes");
        this.limit = limit;
    }

    /** The limit, in bytes, that the line went over. */
    public int limit() {
        return limit;
    }
}
