package dev.chat.swing;

import dev.chat.client.ServerAddress;
import dev.chat.protocol.NameRules;
import dev.chat.protocol.Protocol;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import javax.swing.SwingUtilities;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Starts the desktop client: reads the command line, sets up the look and feel, opens the windows. */
@Command(name = "chat gui", mixinStandardHelpOptions = true, versionProvider = SwingMain.Version.class,
        description = {"The desktop chat client.",
            "Without options it opens a connect dialog that remembers the last server and name.",
            "With --name it connects straight away."})
public final class SwingMain implements Callable<Integer> {

    @Option(names = "--host", paramLabel = "HOST[,HOST…]", description = "the server's host name or address, or several "
            + "as a,b:5556,c to use the first that answers and move on to the next when it goes away "
            + "(default: the last one, or localhost)")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", description = "the server's port (default: the last one, or "
            + Protocol.DEFAULT_PORT + ", with --tls " + Protocol.DEFAULT_TLS_PORT + ")")
    private Integer port;

    @Option(names = "--tls", negatable = true, description = "connect with TLS; a certificate no authority vouches for is shown with its "
            + "fingerprint and, once trusted, remembered; --no-tls for plain text (default: as the last time)")
    private Boolean tls;

    @Option(names = "--password-file", paramLabel = "FILE",
            description = "read the server's password, for servers that ask for one, from the first line of FILE")
    private Path passwordFile;

    @Option(names = "--known-servers", paramLabel = "FILE",
            description = "the file of trusted server fingerprints (default: ~/.chat/known-servers)")
    private Path knownServers;

    @Option(names = "--name", paramLabel = "NAME", description = "your name in the chat; connects straight away")
    private String name;

    @Option(names = "--no-keys", description = "run without keys: no ~/.chat/identity is made or read, no name can be "
            + "registered, and private messages go unencrypted")
    private boolean noKeys;

    public static void main(String[] args) {
        CommandLine commandLine = new CommandLine(new SwingMain());
        int code = commandLine.execute(args);
        if (code != 0 || commandLine.isUsageHelpRequested() || commandLine.isVersionHelpRequested()) {
            System.exit(code);
        }
        // Otherwise the windows are up; the application ends when the user closes them.
    }

    @Override
    public Integer call() {
        if (port != null && (port < 1 || port > 65535)) {
            System.err.println("The port must be a number from 1 to 65535.");
            return 2;
        }
        if (host != null) {
            try {
                ServerAddress.parseList(host, Protocol.DEFAULT_PORT);
            } catch (IllegalArgumentException e) {
                System.err.println("--host: " + e.getMessage() + ".");
                return 2;
            }
        }
        if (name != null && !NameRules.isValid(name)) {
            System.err.println("Not a valid name: " + NameRules.check(name).explanation() + ".");
            return 2;
        }
        String password = null;
        if (passwordFile != null) {
            try {
                List<String> lines = Files.readAllLines(passwordFile, StandardCharsets.UTF_8);
                password = lines.isEmpty() ? "" : lines.getFirst();
            } catch (IOException e) {
                System.err.println("--password-file: cannot read " + passwordFile + " (" + e.getMessage() + ")");
                return 2;
            }
            if (password.isBlank()) {
                System.err.println("--password-file: the first line of " + passwordFile + " is empty.");
                return 2;
            }
        }
        ClientPrefs prefs = ClientPrefs.forUser();
        ChatApp.StartOptions options = new ChatApp.StartOptions(host, port, name, tls, password, knownServers,
                noKeys ? null : Path.of(System.getProperty("user.home")));
        SwingUtilities.invokeLater(() -> {
            LookAndFeelSetup.apply(prefs.theme());
            ChatApp.start(options, prefs, () -> System.exit(0));
        });
        return 0;
    }

    /** The version from the jar's manifest. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = SwingMain.class.getPackage().getImplementationVersion();
            return new String[] {"chat gui " + (version != null ? version : "(development build)")};
        }
    }
}
