package dev.magpie.sandbox.docker;

import dev.magpie.sandbox.WorkspaceException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tar archives as the engine's archive API takes them. */
final class Archives {

    private static final int BLOCK = 512;

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

    /**
     * An archive holding one regular file of {@code size} bytes read from {@code content}, produced as it is read:
     * the header, the content, the padding to a whole block and the two zero blocks that end an archive.
     */
    static InputStream singleFile(String name, InputStream content, long size, int mode) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0100000 | mode);
        entry.setModTime(System.currentTimeMillis());
        byte[] header = new byte[BLOCK];
        entry.writeEntryHeader(header);
        int padding = (int) ((BLOCK - size % BLOCK) % BLOCK);
        return new SequenceInputStream(Collections.enumeration(List.of(new ByteArrayInputStream(header),
                content, new ByteArrayInputStream(new byte[padding + 2 * BLOCK]))));
    }
}
