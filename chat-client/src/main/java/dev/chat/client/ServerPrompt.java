package dev.chat.client;

/** What a server asks for first after its greeting. */
public enum ServerPrompt {
    /** Its password, with {@code /pass PASSWORD}, before the name. */
    PASSWORD,
    /** A name: the server has no password, or it has been given. */
    NAME
}
