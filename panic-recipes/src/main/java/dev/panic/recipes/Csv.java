package dev.panic.recipes;

import dev.panic.exception.PanicException;
import dev.panic.exception.ValidationException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import dev.panic.recipes.internal.FileOut;

/**
 * Comma-separated values as RFC 4180 writes them: records end with CRLF, a field holding a comma,
 * a double quote, a CR or an LF (or starting or ending with a space) is enclosed in double quotes,
 * and a double quote inside one is doubled; so any text, newlines included, reads back as it was
 * written. What the recipes' and experiments' tables are written with.
 */
public final class Csv {

    private Csv() {
    }

    /** One record, CRLF included. */
    public static String row(List<?> fields) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object v = fields.get(i);
            String s = v == null ? "" : v.toString();
            boolean quote = s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0
                    || (!s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' '));
            if (quote) {
                sb.append('"').append(s.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(s);
            }
        }
        return sb.append("\r\n").toString();
    }

    /** A table: a header record, then one record per row. */
    public static String table(List<String> header, List<? extends List<?>> rows) {
        StringBuilder sb = new StringBuilder(row(header));
        rows.forEach(r -> sb.append(row(r)));
        return sb.toString();
    }

    /**
     * The records of a CSV text. Accepts CRLF or LF line ends; a final line end is optional.
     *
     * @throws ValidationException if a quoted field is not closed, or a quote appears inside an unquoted field
     */
    public static List<List<String>> parse(String text) {
        List<List<String>> records = new ArrayList<>();
        List<String> record = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int i = 0;
        int n = text.length();
        boolean fieldStarted = false;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' && field.length() == 0 && !fieldStarted) {
                int close = i + 1;
                while (true) {
                    int q = text.indexOf('"', close);
                    if (q < 0) {
                        throw new ValidationException("CSV: a quoted field starting at character " + i + " is not closed");
                    }
                    if (q + 1 < n && text.charAt(q + 1) == '"') {
                        field.append(text, close, q + 1);
                        close = q + 2;
                        continue;
                    }
                    field.append(text, close, q);
                    i = q + 1;
                    break;
                }
                fieldStarted = true;
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\r' && text.charAt(i) != '\n') {
                    throw new ValidationException("CSV: text after a closing quote at character " + i);
                }
                continue;
            }
            if (c == ',') {
                record.add(field.toString());
                field.setLength(0);
                fieldStarted = false;
                i++;
            } else if (c == '\r' || c == '\n') {
                record.add(field.toString());
                records.add(record);
                record = new ArrayList<>();
                field.setLength(0);
                fieldStarted = false;
                i += c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n' ? 2 : 1;
            } else {
                if (c == '"') {
                    throw new ValidationException("CSV: a quote inside an unquoted field at character " + i);
                }
                field.append(c);
                fieldStarted = true;
                i++;
            }
        }
        if (fieldStarted || !record.isEmpty()) {
            record.add(field.toString());
            records.add(record);
        }
        return records;
    }

    /**
     * Appends rows to a CSV file, writing {@code header} first when the file is new or empty. The
     * rows go in one write, under an operating-system lock, so that appends from several processes
     * do not interleave.
     *
     * @throws ValidationException if the file already starts with another header
     * @throws PanicException      if the file cannot be written
     */
    public static void append(Path file, List<String> header, List<? extends List<?>> rows) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE)) {
                FileLock lock = ch.lock();
                try {
                    appendLocked(ch, file, header, rows);
                } finally {
                    lock.release();
                }
            }
        } catch (IOException e) {
            throw new PanicException("cannot append to " + file + ": " + e.getMessage(), e);
        }
    }

    private static void appendLocked(FileChannel ch, Path file, List<String> header, List<? extends List<?>> rows)
            throws IOException {
        StringBuilder text = new StringBuilder();
        long size = ch.size();
        if (size == 0) {
            text.append(row(header));
        } else {
            String existing = Files.readString(file, StandardCharsets.UTF_8);
            List<List<String>> records = parse(existing);
            if (!records.isEmpty() && !records.get(0).equals(header)) {
                throw new ValidationException(file + " has the columns " + records.get(0) + ", not " + header
                        + "; give another file");
            }
            if (!existing.endsWith("\n")) {
                text.append("\r\n");
            }
        }
        rows.forEach(r -> text.append(row(r)));
        ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
        ch.position(size);
        while (bytes.hasRemaining()) {
            ch.write(bytes);
        }
    }

    /**
     * Writes a whole table, replacing the file.
     *
     * @throws PanicException if the file cannot be written
     */
    public static void write(Path file, List<String> header, List<? extends List<?>> rows) {
        FileOut.write(file, table(header, rows));
    }
}
