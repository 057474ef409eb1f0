package dev.chat.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The list of servers as users type it on a command line or in a dialog. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ServerAddressTest {

    @Test
    void parseList_readsHostsWithAndWithoutPorts_inOrder() {
        assertThat(ServerAddress.parseList(" a , b:5556,[::1]:5557, ::2 ", 5555)).containsExactly(
                new ServerAddress("a", 5555), new ServerAddress("b", 5556), new ServerAddress("::1", 5557),
                new ServerAddress("::2", 5555));
    }

    @Test
    void parseList_keepsEachServerOnce() {
        assertThat(ServerAddress.parseList("a:5555,b,a", 5555))
                .containsExactly(new ServerAddress("a", 5555), new ServerAddress("b", 5555));
    }

    @Test
    void parseList_refusesEmptyEntriesAndBadPorts_inWordsForUsers() {
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parseList("a,,b", 5555))
                .withMessage("an empty server in the list (servers are separated by commas)");
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parseList("a:http", 5555))
                .withMessage("the port of \"a:http\" is not a number from 1 to 65535");
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parseList("a:70000", 5555))
                .withMessage("the port of \"a:70000\" is not a number from 1 to 65535");
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parseList(":5555", 5555))
                .withMessage("\":5555\" names no host");
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parseList("[]:5555", 5555))
                .withMessage("\"[]:5555\" names no host");
        assertThatIllegalArgumentException().isThrownBy(() -> ServerAddress.parseList("[::1", 5555))
                .withMessageStartingWith("\"[::1\" is not a server");
    }

    @Test
    void format_writesTheListAsUsersTypeIt() {
        assertThat(ServerAddress.format(ServerAddress.parseList("a,b:5556,[::1]", 5555)))
                .isEqualTo("a:5555, b:5556, [::1]:5555");
    }
}
