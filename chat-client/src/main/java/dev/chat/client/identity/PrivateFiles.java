package dev.chat.client.identity;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Files only their owner may read: made with POSIX permissions 600 in a folder made 700, and
 * written whole to a new file that then takes the old one's place, so that a crash never leaves
 * half a file. On a file system without POSIX permissions (Windows) the files are made with the
 * platform's defaults, which keep a user's profile to that user, and nothing is checked.
 */
final class PrivateFiles {

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OTHERS_READ_OR_WRITE = EnumSet.of(
            PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> OTHERS_WRITE = EnumSet.of(
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);

    private PrivateFiles() {
    }

    /**
     * Writes {@code content} as {@code file}, which must not exist yet. Another process making
     * the same file at the same moment makes this one fail, not overwrite it.
     *
     * @throws FileAlreadyExistsException when {@code file} exists
     * @throws IOException                when it cannot be written
     */
    static void writeNew(Path file, byte[] content) throws IOException {
        Path temporary = writeTemporary(file, content);
        try {
            try {
                // A hard link fails when the name is taken, where a rename would replace the file.
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                throw e;
            } catch (UnsupportedOperationException | FileSystemException e) {
                // No hard links on this file system: a move that refuses to replace, checked less tightly.
                Files.move(temporary, file);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Writes {@code content} as {@code file}, replacing what was there in one step.
     *
     * @throws IOException when it cannot be written
     */
    static void replace(Path file, byte[] content) throws IOException {
        Path temporary = writeTemporary(file, content);
        try {
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * What makes {@code file} unfit to hold a secret, as a sentence for its user, or null when
     * nothing does: the file may be read or written by others, or its folder written by others
     * (who could then put another file in its place).
     *
     * @throws IOException when the permissions cannot be read
     */
    static String unsafeForSecrets(Path file) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (view == null) {
            return null;
        }
        Set<PosixFilePermission> permissions = view.readAttributes().permissions();
        if (permissions.stream().anyMatch(OTHERS_READ_OR_WRITE::contains)) {
            return file + " can be read or changed by other users (permissions "
                    + PosixFilePermissions.toString(permissions) + "); make it private with: chmod 600 " + file;
        }
        Path folder = file.toAbsolutePath().getParent();
        PosixFileAttributeView folderView = Files.getFileAttributeView(folder, PosixFileAttributeView.class);
        if (folderView != null) {
            Set<PosixFilePermission> folderPermissions = folderView.readAttributes().permissions();
            if (folderPermissions.stream().anyMatch(OTHERS_WRITE::contains)) {
                return "other users may replace files in " + folder + " (permissions "
                        + PosixFilePermissions.toString(folderPermissions) + "); make it private with: chmod 700 " + folder;
            }
        }
        return null;
    }

    /** A new file beside {@code file}, readable by its owner only, holding {@code content} on disk. */
    private static Path writeTemporary(Path file, byte[] content) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        createFolder(folder);
        Path temporary = Files.createTempFile(folder, "." + file.getFileName(), ".tmp", ownerOnly(folder, OWNER_ONLY_FILE));
        try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temporary);
            throw e;
        }
        return temporary;
    }

    /** Makes {@code folder} and any missing parents; the ones made are for their owner only. */
    private static void createFolder(Path folder) throws IOException {
        if (!Files.isDirectory(folder)) {
            Path existing = folder.getParent();
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            Files.createDirectories(folder, ownerOnly(existing, OWNER_ONLY_FOLDER));
        }
    }

    private static FileAttribute<?>[] ownerOnly(Path onFileSystemOf, Set<PosixFilePermission> permissions) {
        boolean posix = onFileSystemOf == null
                || Files.getFileAttributeView(onFileSystemOf, PosixFileAttributeView.class) != null;
        return posix ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)} : new FileAttribute<?>[0];
    }
}
