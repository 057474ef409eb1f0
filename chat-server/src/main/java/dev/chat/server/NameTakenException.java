package dev.chat.server;

/** A name could not be registered because someone online already has it, ignoring case. */
final class NameTakenException extends Exception {

    private static final long serialVersionUID = 1L;

    NameTakenException(String name) {
        super("name taken: " + name);
    }
}
