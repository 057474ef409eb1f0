package dev.chat.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The desktop client's Debian package, as {@code ./chat deb} makes it (jpackage takes a minute
 * or two, so the usual build does not): what it installs, and that the client it installs
 * runs on the runtime inside it. Skipped, saying so, where no package was made.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DesktopPackageTest {

    @TempDir
    Path scratch;

    private Path deb;

    @BeforeEach
    void findThePackage() throws IOException {
        Optional<Path> made;
        try (Stream<Path> built = Files.list(Path.of("target"))) {
            made = built.filter(path -> path.getFileName().toString().matches("chat-gui_.+\\.deb")).findFirst();
        }
        Assumptions.assumeTrue(made.isPresent(), "no desktop package was made here (./chat deb makes it)");
        deb = made.get();
    }

    @Test
    void installsTheClientItsRuntimeADesktopEntryAndTheIcon() throws Exception {
        String contents = run("dpkg-deb", "--contents", deb.toString());
        assertThat(contents).contains("./opt/chat-gui/bin/chat-gui", "./opt/chat-gui/lib/app/chat-swing-client.jar",
                "./opt/chat-gui/lib/runtime/", "./opt/chat-gui/lib/chat-gui.png", ".desktop");
        String control = run("dpkg-deb", "--field", deb.toString(), "Package", "Version");
        assertThat(control).contains("Package: chat-gui").containsPattern("Version: \\d+\\.\\d+\\.\\d+");
    }

    @Test
    void theInstalledClientRunsOnItsOwnRuntime() throws Exception {
        Path root = Files.createDirectories(scratch.resolve("root"));
        run("dpkg-deb", "-x", deb.toString(), root.toString());
        Path desktopEntry;
        try (Stream<Path> files = Files.walk(root)) {
            desktopEntry = files.filter(path -> Files.isRegularFile(path) && path.toString().endsWith(".desktop"))
                    .findFirst().orElseThrow();
        }
        assertThat(Files.readString(desktopEntry)).contains("Exec=/opt/chat-gui/bin/chat-gui", "Icon=");

        String help = run(root.resolve("opt/chat-gui/bin/chat-gui").toString(), "--help");
        assertThat(help).contains("Usage: chat gui");
    }

    /** Runs {@code command}; its output, once it ended with status 0. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(List.of(command)).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("%s ends", List.of(command)).isTrue();
        assertThat(process.exitValue()).as("%s: %s", List.of(command), output).isZero();
        return output;
    }
}
