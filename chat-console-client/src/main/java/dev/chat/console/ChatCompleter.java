package dev.chat.console;

import dev.chat.protocol.Command;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.Protocol;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: the first word of a line that starts with {@code /} completes to a command
 * from the protocol's command table; any other word completes to a name that is online.
 */
public final class ChatCompleter implements Completer {

    private final Supplier<List<String>> online;
    private final Supplier<String> me;

    /**
     * @param online who is online now, called on the thread that reads input
     * @param me     the user's own name (left out of the candidates), or null
     */
    public ChatCompleter(Supplier<List<String>> online, Supplier<String> me) {
        this.online = online;
        this.me = me;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates.addAll(candidates(line.wordIndex(), line.word()));
    }

    /** The candidates for the word at {@code wordIndex} that starts as {@code word}; JLine filters by prefix. */
    public List<Candidate> candidates(int wordIndex, String word) {
        if (wordIndex == 0 && !word.isEmpty() && word.charAt(0) == Protocol.COMMAND_PREFIX) {
            return Arrays.stream(Command.values())
                    .map(command -> new Candidate(Protocol.COMMAND_PREFIX + command.word(), command.usage(),
                            null, command.description(), null, null, true))
                    .toList();
        }
        String self = me.get();
        String selfKey = self == null ? null : NameRules.key(self);
        return online.get().stream()
                .filter(name -> !NameRules.key(name).equals(selfKey))
                .map(name -> new Candidate(name, name, null, null, null, null, true))
                .toList();
    }
}
