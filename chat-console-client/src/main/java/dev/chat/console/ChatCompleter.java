package dev.chat.console;

import dev.chat.client.ClientCommand;
import dev.chat.protocol.ClientLine;
import dev.chat.protocol.Command;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.Protocol;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: the first word of a line that starts with {@code /} completes to a command
 * from the protocol's command table; a word that starts with {@code #}, or the first argument
 * of a command that takes a room, to a room name; any other word to a name that is online, or
 * that the server finds in a large room, whose names the client does not keep.
 */
public final class ChatCompleter implements Completer {

    /** The server's commands that the client sends by itself, with keys and signatures nobody types. */
    static final Set<Command> CLIENT_SENDS = Set.of(Command.REGISTER, Command.SIGN, Command.PUBLISH, Command.DIRECT,
            Command.DIRECT_ACCEPT, Command.DIRECT_DECLINE);

    /** The commands whose first argument is a room. */
    private static final Set<Command> ROOM_FIRST = Set.of(Command.JOIN, Command.PART, Command.IN, Command.WHO,
            Command.TOPIC);

    private final Supplier<List<String>> online;
    private final Supplier<String> me;
    private final Supplier<List<String>> rooms;
    private final Function<String, List<String>> find;

    /**
     * All suppliers are called on the thread that reads input.
     *
     * @param online who is online now, as the client knows it
     * @param me     the user's own name (left out of the candidates), or null
     * @param rooms  the rooms the user knows of: those joined and those listed by {@code /rooms}
     * @param find   the names that start with a (non-empty) prefix beyond those the client knows,
     *               found by the server in a large room; may block while it answers
     */
    public ChatCompleter(Supplier<List<String>> online, Supplier<String> me, Supplier<List<String>> rooms,
            Function<String, List<String>> find) {
        this.online = online;
        this.me = me;
        this.rooms = rooms;
        this.find = find;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates.addAll(candidates(line.words(), line.wordIndex()));
    }

    /**
     * The candidates for the word at {@code wordIndex} of {@code words} (the line so far, split
     * at blanks); JLine filters them by what the word starts with.
     */
    public List<Candidate> candidates(List<String> words, int wordIndex) {
        String word = wordIndex < words.size() ? words.get(wordIndex) : "";
        if (wordIndex == 0 && !word.isEmpty() && word.charAt(0) == Protocol.COMMAND_PREFIX) {
            // The client's own commands, and the server's but for those the client sends itself.
            Stream<Candidate> own = Arrays.stream(ClientCommand.values())
                    .map(command -> new Candidate(Protocol.COMMAND_PREFIX + command.word(), command.usage(),
                            null, command.description(), null, null, true));
            Stream<Candidate> server = Arrays.stream(Command.values())
                    .filter(command -> !CLIENT_SENDS.contains(command))
                    .map(command -> new Candidate(Protocol.COMMAND_PREFIX + command.word(), command.usage(),
                            null, command.description(), null, null, true));
            return Stream.concat(own, server).toList();
        }
        if (word.startsWith("#") || (wordIndex == 1 && takesRoom(words.getFirst()))) {
            return rooms.get().stream()
                    .map(room -> new Candidate(room, room, null, null, null, null, true))
                    .toList();
        }
        String self = me.get();
        String selfKey = self == null ? null : NameRules.key(self);
        Map<String, String> names = new TreeMap<>();
        online.get().forEach(name -> names.put(NameRules.key(name), name));
        if (!word.isEmpty()) {
            find.apply(word).forEach(name -> names.putIfAbsent(NameRules.key(name), name));
        }
        if (selfKey != null) {
            names.remove(selfKey);
        }
        return names.values().stream()
                .map(name -> new Candidate(name, name, null, null, null, null, true))
                .toList();
    }

    private static boolean takesRoom(String firstWord) {
        return ClientLine.parse(firstWord) instanceof ClientLine.Invocation invocation
                && Command.byWord(invocation.word()).map(ROOM_FIRST::contains).orElse(false);
    }
}
