package dev.chat.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.chat.protocol.Command;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jline.reader.Candidate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ChatCompleterTest {

    private final ChatCompleter completer = new ChatCompleter(() -> List.of("alice", "Bob", "carol"), () -> "alice");

    @Test
    void aSlashAtTheStartCompletesEveryCommandOfTheTable() {
        assertThat(values(completer.candidates(0, "/")))
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Command.values()).map(c -> "/" + c.word()).toList());
    }

    @Test
    void otherWordsCompleteOnlineNamesButNotYourOwn() {
        assertThat(values(completer.candidates(1, "b"))).containsExactly("Bob", "carol");
        assertThat(values(completer.candidates(0, "c"))).containsExactly("Bob", "carol");
    }

    @Test
    void aSlashLaterInTheLineIsNotACommand() {
        assertThat(values(completer.candidates(2, "/"))).containsExactly("Bob", "carol");
    }

    private static List<String> values(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::value).toList();
    }
}
