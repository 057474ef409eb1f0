package dev.chat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ClientLineTest {

    @Test
    void parse_readsPlainTextAsSay() {
        assertThat(ClientLine.parse("hello /there")).isEqualTo(new ClientLine.Say("hello /there"));
    }

    @Test
    void parse_readsDoubleSlashAsTextWithOneSlash() {
        assertThat(ClientLine.parse("//shrug")).isEqualTo(new ClientLine.Say("/shrug"));
    }

    @Test
    void parse_readsSlashWordAsInvocation() {
        assertThat(ClientLine.parse("/msg bob  hi there")).isEqualTo(new ClientLine.Invocation("msg", "bob  hi there"));
        assertThat(ClientLine.parse("/who")).isEqualTo(new ClientLine.Invocation("who", ""));
    }

    @Test
    void arguments_lastTakesTheRestOfTheLine() {
        ClientLine.Invocation msg = new ClientLine.Invocation("msg", " bob   hi  there ");
        assertThat(msg.arguments(2)).containsExactly("bob", "hi  there");
    }

    @Test
    void arguments_isNullWhenTooFew() {
        assertThat(new ClientLine.Invocation("msg", "bob").arguments(2)).isNull();
        assertThat(new ClientLine.Invocation("msg", "  ").arguments(1)).isNull();
    }

    @Test
    void arguments_acceptOptionalOnes() {
        assertThat(new ClientLine.Invocation("part", "").arguments(0, 1)).isEmpty();
        assertThat(new ClientLine.Invocation("part", "#dev").arguments(0, 1)).containsExactly("#dev");
        assertThat(new ClientLine.Invocation("in", "#dev").arguments(2, 2)).isNull();
        assertThat(new ClientLine.Invocation("in", "#dev /me waves").arguments(2, 2)).containsExactly("#dev", "/me waves");
    }

    @Test
    void command_byWordIgnoresCase() {
        assertThat(Command.byWord("MSG")).contains(Command.MSG);
        assertThat(Command.byWord("nope")).isEmpty();
    }

    @Test
    void command_accessMatchesWhatHelpSaysOfIt() {
        // /help shows the descriptions: they must not promise a command to someone who may not run it.
        assertThat(Arrays.stream(Command.values()).filter(c -> c.access() == Command.Access.OPERATOR))
                .isNotEmpty().allSatisfy(c -> assertThat(c.description()).startsWith("operators: "));
        assertThat(Arrays.stream(Command.values()).filter(c -> c.access() != Command.Access.OPERATOR))
                .allSatisfy(c -> assertThat(c.description()).doesNotStartWith("operators"));
        assertThat(Arrays.stream(Command.values()).filter(c -> c.access() == Command.Access.ANYONE))
                .containsExactlyInAnyOrder(Command.PASS, Command.HELP, Command.QUIT);
    }
}
