package dev.panic.internal.store;

import dev.panic.exception.PanicException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The writer's hold on a run folder: an exclusive lock on its {@code run.lock} file, which the
 * operating system releases when the writing process dies, however it dies. A reader tells a live
 * run from one whose writer has gone by trying the lock.
 *
 * <p>Locks are per process, and on POSIX systems closing any channel of a file drops the whole
 * process's locks on it; so the runs this process writes are also kept in a set, and this process
 * never opens the lock file of a run it writes, except through the one channel that holds it.
 */
final class RunLock implements AutoCloseable {

    static final String FILE = "run.lock";

    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
    // A probe holds a shared lock for an instant; a writer that meets one tries again.
    private static final int ATTEMPTS = 50;

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the run in {@code runDir} for writing.
     *
     * @throws PanicException naming the holder if another writer, here or in another process, holds it
     */
    static RunLock acquire(Path runDir, String runId) {
        Path file = runDir.resolve(FILE).toAbsolutePath().normalize();
        if (!HELD.add(file)) {
            throw new PanicException("run '" + runId + "' is being written by this process already; a run is"
                    + " written by one writer at a time (stop that run first, or wait for it to end)");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = null;
            for (int i = 0; i < ATTEMPTS && lock == null; i++) {
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException probing) {
                    // A reader in this process (isHeld) holds its shared probe lock for an instant: the JVM
                    // reports that as an overlap instead of a busy lock. Try again, as for a probe elsewhere.
                    lock = null;
                }
                if (lock == null) {
                    Thread.sleep(10);
                }
            }
            if (lock == null) {
                String holder = holder(channel);
                channel.close();
                HELD.remove(file);
                throw new PanicException("run '" + runId + "' is live: another process is writing it"
                        + (holder.isEmpty() ? "" : " (" + holder + ")") + "; wait for it to end or stop it there,"
                        + " then try again");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid " + ProcessHandle.current().pid() + " on " + hostName() + " since "
                    + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
            return new RunLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            HELD.remove(file);
            throw new PanicException("could not lock run '" + runId + "' for writing (" + file + "): "
                    + StoreFiles.describe(e) + "; check that the run folder is writable", e);
        } catch (InterruptedException e) {
            closeQuietly(channel);
            HELD.remove(file);
            Thread.currentThread().interrupt();
            throw new PanicException("interrupted while locking run '" + runId + "'", e);
        } catch (RuntimeException e) {
            // Whatever else fails, the run must not stay marked as written by this process.
            closeQuietly(channel);
            HELD.remove(file);
            throw e;
        }
    }

    /** True if a writer, in this process or another, holds the run in {@code runDir}. */
    static boolean isHeld(Path runDir) {
        Path file = runDir.resolve(FILE).toAbsolutePath().normalize();
        if (HELD.contains(file)) {
            return true;
        }
        try (FileChannel probe = FileChannel.open(file, StandardOpenOption.READ)) {
            FileLock shared = probe.tryLock(0, Long.MAX_VALUE, true);
            if (shared == null) {
                return true;
            }
            shared.release();
            return false;
        } catch (NoSuchFileException e) {
            return false; // never locked: a run saved before locks, or created and never written
        } catch (OverlappingFileLockException e) {
            return true;
        } catch (IOException e) {
            // Cannot tell (e.g. a file system without locks): say live, so nobody takes over a run by mistake.
            return true;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
        } catch (IOException ignored) {
            // closing the channel releases it too
        } finally {
            closeQuietly(channel);
            HELD.remove(file);
        }
    }

    private static String holder(FileChannel channel) {
        try {
            ByteBuffer buf = ByteBuffer.allocate(256);
            channel.read(buf, 0);
            return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "";
        }
    }

    private static String hostName() {
        String host = System.getenv("HOSTNAME");
        return host == null || host.isBlank() ? "this host" : host;
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do
            }
        }
    }
}
