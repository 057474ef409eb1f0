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

    private final ChatCompleter completer = new ChatCompleter(() -> List.of("alice", "Bob", "carol"), () -> "alice",
            () -> List.of("#dev", "#lobby"), prefix -> List.of());

    @Test
    void aSlashAtTheStartCompletesEveryCommandOfTheTable_andTheClientsOwn() {
        List<String> expected = new java.util.ArrayList<>(Arrays.stream(Command.values())
                .filter(c -> !ChatCompleter.CLIENT_SENDS.contains(c)).map(c -> "/" + c.word()).toList());
        expected.addAll(Arrays.stream(dev.chat.client.ClientCommand.values()).map(c -> "/" + c.word()).toList());
        assertThat(values(completer.candidates(List.of("/"), 0))).containsExactlyInAnyOrderElementsOf(expected)
                .contains("/verify", "/accept", "/register").doesNotContain("/sign", "/publish");
        assertThat(values(completer.candidates(List.of("/verify", "b"), 1))).containsExactly("Bob", "carol");
    }

    @Test
    void otherWordsCompleteOnlineNamesButNotYourOwn() {
        assertThat(values(completer.candidates(List.of("/msg", "b"), 1))).containsExactly("Bob", "carol");
        assertThat(values(completer.candidates(List.of("c"), 0))).containsExactly("Bob", "carol");
    }

    @Test
    void aSlashLaterInTheLineIsNotACommand() {
        assertThat(values(completer.candidates(List.of("/msg", "bob", "/"), 2))).containsExactly("Bob", "carol");
    }

    @Test
    void aWordStartingWithAHashCompletesRooms() {
        assertThat(values(completer.candidates(List.of("/in", "#d"), 1))).containsExactly("#dev", "#lobby");
        assertThat(values(completer.candidates(List.of("come", "to", "#"), 2))).containsExactly("#dev", "#lobby");
    }

    @Test
    void theFirstArgumentOfARoomCommandCompletesRooms() {
        for (String command : List.of("/join", "/PART", "/in", "/who", "/topic")) {
            assertThat(values(completer.candidates(List.of(command, ""), 1))).as(command)
                    .containsExactly("#dev", "#lobby");
        }
        assertThat(values(completer.candidates(List.of("/msg", ""), 1))).containsExactly("Bob", "carol");
    }

    @Test
    void aNameCompletesToWhatTheServerFindsToo_withoutRepeatsOrYourOwn() {
        List<String> asked = new java.util.ArrayList<>();
        ChatCompleter large = new ChatCompleter(() -> List.of("alice", "carol"), () -> "alice", List::of, prefix -> {
            asked.add(prefix);
            return List.of("Carl", "carol", "alice");
        });
        assertThat(values(large.candidates(List.of("/msg", "ca"), 1))).containsExactly("Carl", "carol");
        assertThat(asked).containsExactly("ca");
        // Nothing typed yet: the server is not asked for everyone.
        assertThat(values(large.candidates(List.of("/msg", ""), 1))).containsExactly("carol");
        assertThat(asked).hasSize(1);
    }

    private static List<String> values(List<Candidate> candidates) {
        return candidates.stream().map(Candidate::value).toList();
    }
}
