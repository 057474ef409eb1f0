package dev.chat.dist;

import dev.chat.swing.AppIcon;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Makes the desktop client's native package with the JDK's {@code jpackage}: a Debian
 * package, {@code chat-gui_VERSION_ARCH.deb}, that installs the client with a runtime of its
 * own under {@code /opt/chat-gui} and a desktop entry with the icon in the menu. jpackage
 * makes a .deb only where {@code dpkg-deb} and {@code fakeroot} are installed; elsewhere this
 * says so and makes nothing. Run by {@code ./chat deb}; takes a minute or two (jlink).
 */
public final class DesktopPackage {

    private static final String NAME = "chat-gui";

    private DesktopPackage() {
    }

    /** {@code DesktopPackage PROJECT_FOLDER VERSION}; exits 1 when no package could be made. */
    public static void main(String[] args) throws IOException, InterruptedException {
        if (args.length != 2) {
            System.err.println("usage: DesktopPackage PROJECT_FOLDER VERSION");
            System.exit(2);
        }
        Optional<String> missing = Stream.of("dpkg-deb", "fakeroot").filter(tool -> !onPath(tool)).findFirst();
        if (missing.isPresent()) {
            System.err.println("chat: jpackage makes a .deb only where dpkg-deb and fakeroot are installed; "
                    + missing.get() + " is not (apt install dpkg fakeroot)");
            System.exit(1);
        }
        Path deb = make(Path.of(args[0]).toRealPath(), args[1]);
        System.out.println("chat: " + deb);
    }

    /**
     * Makes the package in {@code chat-dist/target} from the packaged desktop client. Blocks
     * while jpackage runs; its output goes to this process's.
     *
     * @param version the project's version; a {@code -SNAPSHOT} suffix is dropped, since a
     *                package's version must start with a digit and holds none
     * @return the package made
     * @throws IOException when the client is not packaged, or jpackage fails
     */
    public static Path make(Path project, String version) throws IOException, InterruptedException {
        Path client = project.resolve("chat-swing-client/target");
        Path target = project.resolve("chat-dist/target");
        Path work = target.resolve("deb");
        Path input = work.resolve("input");
        Files.createDirectories(input);
        List<Path> jars = new ArrayList<>(List.of(client.resolve("chat-swing-client.jar")));
        try (Stream<Path> libraries = Files.list(client.resolve("lib"))) {
            jars.addAll(libraries.filter(path -> path.toString().endsWith(".jar")).toList());
        }
        for (Path jar : jars) {
            Files.copy(jar, input.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Path icon = work.resolve(NAME + ".png");
        ImageIO.write(AppIcon.image(256), "png", icon.toFile());

        String packageVersion = version.replace("-SNAPSHOT", "");
        List<String> command = List.of(
                Path.of(System.getProperty("java.home"), "bin", "jpackage").toString(),
                "--type", "deb",
                "--name", NAME,
                "--app-version", packageVersion,
                "--description", "The chat system's desktop client",
                "--vendor", "chat",
                "--input", input.toString(),
                "--main-jar", "chat-swing-client.jar",
                "--main-class", "dev.chat.swing.SwingMain",
                "--icon", icon.toString(),
                "--linux-shortcut",
                "--linux-menu-group", "Network;InstantMessaging;",
                "--linux-app-category", "net",
                "--dest", target.toString());
        Process jpackage = new ProcessBuilder(command).inheritIO().redirectInput(new File("/dev/null")).start();
        if (jpackage.waitFor() != 0) {
            throw new IOException("jpackage failed (exit status " + jpackage.exitValue() + ")");
        }
        try (Stream<Path> made = Files.list(target)) {
            return made.filter(path -> path.getFileName().toString().matches(NAME + "_" + packageVersion + "_.+\\.deb"))
                    .findFirst().orElseThrow(() -> new IOException("jpackage made no " + NAME + " package"));
        }
    }

    private static boolean onPath(String tool) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .anyMatch(folder -> !folder.isEmpty() && Files.isExecutable(Path.of(folder, tool)));
    }
}
