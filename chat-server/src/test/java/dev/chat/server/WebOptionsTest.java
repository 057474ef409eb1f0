package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The web listener's options, on the command line and in the configuration file. */
class WebOptionsTest {

    private static ServerConfig parse(Properties file, String... args) {
        ServerMain options = new ServerMain(args);
        CommandLine commandLine = new CommandLine(options);
        if (file != null) {
            commandLine.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(file));
        }
        commandLine.parseArgs(args);
        return options.toConfig();
    }

    @Test
    void withoutWebPort_thereIsNoWebListener() {
        assertThat(parse(null).web()).isNull();
    }

    @Test
    void commandLine_setsThePortOriginsAndTrustedProxies() {
        ServerConfig config = parse(null, "--web-port", "8080", "--web-origins",
                "https://Chat.Example.org/,http://10.0.0.5:8080", "--web-trusted-proxies", "127.0.0.1/32,10.0.0.0/8");
        assertThat(config.web().port()).isEqualTo(8080);
        assertThat(config.web().origins()).containsExactly("https://chat.example.org", "http://10.0.0.5:8080");
        assertThat(config.web().trustedProxies()).containsExactly(AddressRange.parse("127.0.0.1/32"),
                AddressRange.parse("10.0.0.0/8"));
    }

    @Test
    void configurationFile_setsThemToo_andTheCommandLineWins() {
        Properties file = new Properties();
        file.setProperty("web-port", "8080");
        file.setProperty("web-origins", "https://chat.example.org");
        assertThat(parse(file).web()).isEqualTo(new ServerConfig.Web(8080, List.of("https://chat.example.org"),
                List.of()));
        assertThat(parse(file, "--web-port", "9090").web().port()).isEqualTo(9090);
    }

    @Test
    void anOriginThatIsNoOrigin_isRefused() {
        assertThatThrownBy(() -> parse(null, "--web-port", "8080", "--web-origins", "chat.example.org"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("web-origins");
        assertThatThrownBy(() -> parse(null, "--web-port", "8080", "--web-origins", "https://chat.example.org/page"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void webAlone_isSomethingToListenOn() {
        assertThat(parse(null, "--no-plain", "--web-port", "8080").plain()).isFalse();
    }
}
