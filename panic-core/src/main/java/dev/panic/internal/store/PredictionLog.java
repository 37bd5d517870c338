package dev.panic.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Prediction;
import dev.panic.exception.PanicException;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Reads a {@code predictions.jsonl} as it is consumed, one prediction at a time in sequence order:
 * a prediction saved before its vectors is held until its completion line (or its drop line) is
 * read, a line that cannot be read is skipped and reported, and nothing but the few predictions
 * awaiting their vectors is kept. Both {@link DirectoryRunStore#read} and the streams of
 * {@link DirectoryRunStore#predictions} read through it.
 */
final class PredictionLog implements Iterator<Prediction>, Closeable {

    /** A prediction on its way out, and whether its vectors are still to come. */
    private static final class Entry {
        Prediction prediction;
        boolean pending;

        Entry(Prediction prediction, boolean pending) {
            this.prediction = prediction;
            this.pending = pending;
        }
    }

    private final Path file;
    private final JsonCodec codec;
    private final JsonCodec.MediaSource media;
    private final IntFunction<String> nodeOf;
    private final int from;
    private final int to;
    private final Consumer<String> warnings;
    private final InputStream in;
    private final ArrayDeque<Entry> queue = new ArrayDeque<>();
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private int lineNumber;
    private int lastSequence = -1;
    private boolean pastEnd;
    private boolean eof;

    /**
     * @param from     the first sequence to return
     * @param to       the last sequence to return (inclusive)
     * @param warnings receives one sentence per line skipped
     */
    PredictionLog(Path file, JsonCodec codec, JsonCodec.MediaSource media, IntFunction<String> nodeOf, int from,
                  int to, Consumer<String> warnings) {
        this.file = file;
        this.codec = codec;
        this.media = media;
        this.nodeOf = nodeOf;
        this.from = from;
        this.to = to;
        this.warnings = warnings;
        InputStream stream;
        try {
            stream = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            stream = null; // created but nothing written yet
        } catch (IOException e) {
            throw new PanicException("could not read " + file + ": " + StoreFiles.describe(e), e);
        }
        this.in = stream;
        this.eof = stream == null;
    }

    @Override
    public boolean hasNext() {
        while (queue.isEmpty() || queue.peekFirst().pending) {
            if (eof || (pastEnd && queue.isEmpty())) {
                break;
            }
            readLine();
        }
        return !queue.isEmpty();
    }

    @Override
    public Prediction next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        Entry e = queue.pollFirst();
        if (e.pending) {
            warnings.accept(file + " holds prediction " + e.prediction.sequence() + " without its vectors (the"
                    + " run stopped while they were computed); kept it without them");
        }
        return e.prediction;
    }

    private void readLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1024);
        boolean terminated = false;
        try {
            while (!terminated) {
                if (pos == limit) {
                    limit = in.read(buffer);
                    pos = 0;
                    if (limit <= 0) {
                        limit = 0;
                        break;
                    }
                }
                int start = pos;
                while (pos < limit && buffer[pos] != '\n') {
                    pos++;
                }
                out.write(buffer, start, pos - start);
                if (pos < limit) {
                    pos++;
                    terminated = true;
                }
            }
        } catch (IOException e) {
            throw new PanicException("could not read " + file + ": " + StoreFiles.describe(e), e);
        }
        if (!terminated && out.size() == 0) {
            eof = true;
            return;
        }
        byte[] line = out.toByteArray();
        lineNumber++;
        if (isBlank(line)) {
            return;
        }
        JsonNode node;
        try {
            node = codec.mapper().readTree(line);
        } catch (IOException e) {
            String why = isNul(line) ? "it holds only NUL bytes (what a power loss can leave)" : firstLine(e);
            warnings.accept("line " + lineNumber + " of " + file + (terminated ? " is damaged" : " is cut short (the"
                    + " process probably stopped while writing it)") + "; skipped it: " + why);
            return;
        }
        if (!terminated) {
            // A JSON object cannot be cut short and still parse, so the line is whole; only its newline is missing.
            warnings.accept("line " + lineNumber + " of " + file + " has no final newline (the process probably"
                    + " stopped while writing it); kept it since it is complete");
        }
        JsonCodec.Line decoded;
        try {
            decoded = codec.decodeLine(node, media, nodeOf);
        } catch (MalformedRecordException | dev.panic.exception.ValidationException e) {
            warnings.accept("line " + lineNumber + " of " + file + " is not a valid record; skipped it: "
                    + e.getMessage());
            return;
        } catch (MediaMissing e) {
            warnings.accept("line " + lineNumber + " of " + file + " refers to media that cannot be read; skipped"
                    + " it: " + e.getMessage());
            return;
        }
        if (decoded instanceof JsonCodec.PredictionLine p) {
            int sequence = p.prediction().sequence();
            if (sequence <= lastSequence) {
                warnings.accept("line " + lineNumber + " of " + file + " holds prediction " + sequence
                        + " again (or out of order); skipped it");
                return;
            }
            lastSequence = sequence;
            if (sequence > to) {
                pastEnd = true;
                return;
            }
            if (sequence >= from) {
                queue.addLast(new Entry(p.prediction(), p.pending()));
            }
        } else if (decoded instanceof JsonCodec.CompletionLine c) {
            Entry e = find(c.sequence());
            if (e != null) {
                e.prediction = e.prediction.withEmbeddings(c.embeddings()).withVerdicts(c.verdicts());
                e.pending = false;
            }
        } else if (decoded instanceof JsonCodec.DropLine d) {
            Entry e = find(d.sequence());
            if (e != null) {
                queue.remove(e);
            }
        }
    }

    private Entry find(int sequence) {
        for (Entry e : queue) {
            if (e.prediction.sequence() == sequence) {
                return e;
            }
        }
        return null;
    }

    private static boolean isBlank(byte[] line) {
        for (byte b : line) {
            if (b != ' ' && b != '\t' && b != '\r') {
                return false;
            }
        }
        return true;
    }

    private static boolean isNul(byte[] line) {
        for (byte b : line) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /** Jackson's messages go on with a source excerpt over several lines; the first says what is wrong. */
    static String firstLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    @Override
    public void close() {
        if (in != null) {
            try {
                in.close();
            } catch (IOException ignored) {
                // read-only: nothing is lost
            }
        }
    }

    /** A media file a record refers to that is missing, of the wrong size, or unreadable. */
    static final class MediaMissing extends RuntimeException {
        MediaMissing(String message) {
            super(message, null, false, false);
        }
    }
}
