package dev.chat.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The cluster's options, on the command line and in the configuration file (cluster.url and the rest). */
class ClusterOptionsTest {

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
    void withoutCluster_theServerIsOnItsOwn() {
        assertThat(parse(null).cluster()).isNull();
    }

    @Test
    void commandLine_setsTheUrlsTheNodeNameAndTheFiles() {
        ServerConfig.Cluster cluster = parse(null, "--cluster", "nats://10.0.0.5:4222,tls://10.0.0.6:4222",
                "--node-name", "east", "--cluster-credentials", "/etc/chat/nats.creds", "--cluster-ca",
                "/etc/chat/nats-ca.pem").cluster();
        assertThat(cluster).isEqualTo(new ServerConfig.Cluster(List.of("nats://10.0.0.5:4222", "tls://10.0.0.6:4222"),
                "east", Path.of("/etc/chat/nats.creds"), Path.of("/etc/chat/nats-ca.pem")));
    }

    @Test
    void configurationFile_usesTheClusterKeys_andTheCommandLineWins() {
        Properties file = new Properties();
        file.setProperty("cluster.url", "nats://10.0.0.5:4222");
        file.setProperty("cluster.node-name", "west");
        file.setProperty("cluster.credentials", "/etc/chat/nats.creds");
        assertThat(parse(file).cluster()).isEqualTo(new ServerConfig.Cluster(List.of("nats://10.0.0.5:4222"), "west",
                Path.of("/etc/chat/nats.creds"), null));
        assertThat(parse(file, "--node-name", "north").cluster().nodeName()).isEqualTo("north");
    }

    @Test
    void withoutANodeName_theNodeIsNamedAfterTheHostAndThePort() {
        String name = parse(null, "--cluster", "nats://127.0.0.1:4222", "--port", "5565").cluster().nodeName();
        assertThat(name).endsWith("-5565").matches("[A-Za-z0-9_-]+");
    }

    @Test
    void aUrlThatIsNoNatsUrl_andANodeNameWithBlanks_areRefused() {
        assertThatThrownBy(() -> parse(null, "--cluster", "http://10.0.0.5:4222"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a NATS URL");
        assertThatThrownBy(() -> parse(null, "--cluster", "nats://10.0.0.5:4222", "--node-name", "east wing"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("node-name");
    }
}
