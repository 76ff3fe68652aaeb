package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.WorkspaceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tar archives as the engine's archive API takes them. */
final class Archives {

    private Archives() {
    }

    /** An archive holding one regular file. */
    static byte[] singleFile(String name, byte[] content, int mode) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(content.length + 2048);
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(content.length);
            entry.setMode(0100000 | mode);
            entry.setModTime(System.currentTimeMillis());
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        } catch (IOException e) {
            throw new WorkspaceException("Could not pack a file into a tar archive in memory: " + e.getMessage(), e);
        }
        return bytes.toByteArray();
    }
}
