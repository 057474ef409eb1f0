package dev.chat.client.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.chat.client.identity.IdentityFileException.Problem;
import dev.chat.protocol.identity.Base64Url;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IdentityFileTest {

    /** Few rounds, so that tests do not wait; one test checks the real default. */
    private static final int FAST = 1_000;
    private static final char[] PASSPHRASE = "correct horse battery staple".toCharArray();

    @TempDir
    Path home;

    @Test
    void firstUse_makesTheFileForItsOwnerOnly_inAFolderForItsOwnerOnly_andLaterUsesTheSameKeys() throws Exception {
        IdentityFile file = IdentityFile.inHome(home);
        assertThat(file.file()).isEqualTo(home.resolve(".chat").resolve("identity"));
        assertThat(file.exists()).isFalse();

        Identity made = file.loadOrCreate();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file().getParent()))).isEqualTo("rwx------");
        assertThat(file.needsPassphrase()).isFalse();
        Identity again = IdentityFile.inHome(home).loadOrCreate();
        assertThat(again.publicIdentity()).isEqualTo(made.publicIdentity());
        assertThat(again.secret()).isEqualTo(made.secret());
        assertThat(Files.readString(file.file())).contains("public " + made.publicIdentity().token());
        try (var left = Files.list(file.file().getParent())) {
            assertThat(left).containsExactly(file.file());
        }
    }

    @Test
    void theFile_readsAsDocumented() throws Exception {
        IdentityFile file = IdentityFile.inHome(home);
        Identity made = file.create(null);

        List<String> items = Files.readAllLines(file.file()).stream()
                .filter(line -> !line.startsWith("#") && !line.isBlank()).toList();

        assertThat(items).containsExactly("chat-identity 1", "public " + made.publicIdentity().token(),
                "secret plain " + Base64Url.encode(made.secret()));
    }

    @Test
    void anExistingIdentity_isNeverOverwrittenByCreate() throws Exception {
        IdentityFile file = IdentityFile.inHome(home);
        Identity first = file.create(null);

        assertThatThrownBy(() -> file.create(null)).isInstanceOf(FileAlreadyExistsException.class);
        assertThat(file.load(null).publicIdentity()).isEqualTo(first.publicIdentity());
    }

    @Test
    void aFileOthersCanRead_isRefusedWithWhatToDo() throws Exception {
        IdentityFile file = IdentityFile.inHome(home);
        file.create(null);
        Files.setPosixFilePermissions(file.file(), PosixFilePermissions.fromString("rw-r--r--"));

        assertThatThrownBy(() -> file.load(null))
                .isInstanceOfSatisfying(IdentityFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNSAFE_PERMISSIONS))
                .hasMessageContaining("can be read or changed by other users")
                .hasMessageContaining("chmod 600 " + file.file());
        assertThatThrownBy(file::loadOrCreate).isInstanceOf(IdentityFileException.class);
    }

    @Test
    void aFolderOthersCanWriteTo_isRefused() throws Exception {
        IdentityFile file = IdentityFile.inHome(home);
        file.create(null);
        Files.setPosixFilePermissions(file.file().getParent(), PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThatThrownBy(() -> file.load(null))
                .isInstanceOfSatisfying(IdentityFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.UNSAFE_PERMISSIONS))
                .hasMessageContaining("chmod 700 " + file.file().getParent());
    }

    @Test
    void aPassphrase_protectsThePrivateKeys_theRightOneOpensThem_aWrongOneOrNoneDoesNot() throws Exception {
        IdentityFile file = new IdentityFile(home.resolve("identity"), FAST);
        Identity made = file.create(PASSPHRASE);

        String text = Files.readString(file.file());
        assertThat(text).doesNotContain(Base64Url.encode(made.secret()))
                .contains("secret pbkdf2-sha256 1000 ").contains(" chacha20-poly1305 ");
        assertThat(file.needsPassphrase()).isTrue();
        assertThat(file.load(PASSPHRASE.clone()).secret()).isEqualTo(made.secret());
        assertThatThrownBy(() -> file.load("correct horse battery stapler".toCharArray()))
                .isInstanceOfSatisfying(IdentityFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.PASSPHRASE_WRONG))
                .hasMessageContaining("passphrase is wrong");
        assertThatThrownBy(() -> file.load(null))
                .isInstanceOfSatisfying(IdentityFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.PASSPHRASE_NEEDED));
        assertThatThrownBy(() -> file.load(new char[0]))
                .isInstanceOfSatisfying(IdentityFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.PASSPHRASE_NEEDED));
    }

    @Test
    void saving_setsChangesAndRemovesThePassphrase_keepingTheKeys() throws Exception {
        IdentityFile file = new IdentityFile(home.resolve("identity"), FAST);
        Identity made = file.create(null);

        file.save(made, PASSPHRASE);
        assertThat(file.load(PASSPHRASE).publicIdentity()).isEqualTo(made.publicIdentity());

        file.save(made, "another".toCharArray());
        assertThatThrownBy(() -> file.load(PASSPHRASE)).isInstanceOf(IdentityFileException.class);
        assertThat(file.load("another".toCharArray()).publicIdentity()).isEqualTo(made.publicIdentity());

        file.save(made, null);
        assertThat(file.needsPassphrase()).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file()))).isEqualTo("rw-------");
    }

    @Test
    void aNewPassphrase_gets600000Rounds() throws Exception {
        IdentityFile file = IdentityFile.inHome(home);
        file.create(PASSPHRASE);

        assertThat(Files.readString(file.file())).contains("secret pbkdf2-sha256 " + IdentityFile.DEFAULT_ITERATIONS + " ");
        assertThat(IdentityFile.DEFAULT_ITERATIONS).isEqualTo(600_000);
    }

    @Test
    void publicKeysSwappedForAnothers_areFound_withOrWithoutAPassphrase() throws Exception {
        String stranger = Identity.generate().publicIdentity().token();

        IdentityFile plain = new IdentityFile(home.resolve("plain"), FAST);
        String plainToken = plain.create(null).publicIdentity().token();
        rewrite(plain.file(), plainToken, stranger);
        assertThatThrownBy(() -> plain.load(null))
                .isInstanceOfSatisfying(IdentityFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.KEYS_DO_NOT_MATCH));

        IdentityFile sealed = new IdentityFile(home.resolve("sealed"), FAST);
        String sealedToken = sealed.create(PASSPHRASE).publicIdentity().token();
        rewrite(sealed.file(), sealedToken, stranger);
        // The public token is authenticated with the sealed keys: the swap reads as a wrong passphrase.
        assertThatThrownBy(() -> sealed.load(PASSPHRASE))
                .isInstanceOfSatisfying(IdentityFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.PASSPHRASE_WRONG));
    }

    @Test
    void aDamagedOrNewerFile_isMalformed_andAMissingOneIsNoSuchFile() throws Exception {
        IdentityFile file = new IdentityFile(home.resolve("identity"), FAST);
        assertThatThrownBy(() -> file.load(null)).isInstanceOf(NoSuchFileException.class);
        Identity made = file.create(null);
        String good = Files.readString(file.file());

        for (String damaged : List.of(
                good.replace("chat-identity 1", "chat-identity 2"),
                good.replace("chat-identity 1\n", ""),
                good.replace("secret plain ", "secret plain A"),
                good.replace("secret plain ", "secret none "),
                good.replace("public " + made.publicIdentity().token(), "public chatkey1:AAAA"),
                good + "secret plain " + Base64Url.encode(made.secret()) + "\n",
                "")) {
            Files.writeString(file.file(), damaged, StandardCharsets.UTF_8);
            assertThatThrownBy(() -> file.load(null)).as(damaged)
                    .isInstanceOfSatisfying(IdentityFileException.class, e -> assertThat(e.problem()).isEqualTo(Problem.MALFORMED))
                    .hasMessageContaining("is not an identity file this version can read");
        }
        Files.writeString(file.file(), good.replace("chat-identity 1", "chat-identity 2"), StandardCharsets.UTF_8);
        assertThatThrownBy(() -> file.load(null)).hasMessageContaining("newer version");
    }

    private static void rewrite(Path file, String from, String to) throws Exception {
        Files.writeString(file, Files.readString(file).replace(from, to), StandardCharsets.UTF_8);
    }
}
