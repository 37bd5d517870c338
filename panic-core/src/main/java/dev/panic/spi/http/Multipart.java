package dev.panic.spi.http;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A {@code multipart/form-data} body built in memory (uploads here are bounded by the platforms' own limits). */
public final class Multipart {

    private final String boundary = "panic-" + UUID.randomUUID();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** Adds a text field. */
    public Multipart field(String name, String value) {
        head(name, null, "text/plain; charset=UTF-8");
        write(value.getBytes(StandardCharsets.UTF_8));
        write("\r\n");
        return this;
    }

    /** Adds a file field. */
    public Multipart file(String name, String fileName, String contentType, byte[] content) {
        head(name, fileName, contentType);
        write(content);
        write("\r\n");
        return this;
    }

    /** The Content-Type header value, with the boundary. */
    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** The finished body. */
    public byte[] body() {
        ByteArrayOutputStream copy = new ByteArrayOutputStream();
        copy.writeBytes(out.toByteArray());
        copy.writeBytes(("--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return copy.toByteArray();
    }

    private void head(String name, String fileName, String contentType) {
        StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(quote(name)).append('"');
        if (fileName != null) {
            h.append("; filename=\"").append(quote(fileName)).append('"');
        }
        h.append("\r\nContent-Type: ").append(contentType).append("\r\n\r\n");
        write(h.toString());
    }

    private static String quote(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\r", "").replace("\n", "");
    }

    private void write(String s) {
        write(s.getBytes(StandardCharsets.UTF_8));
    }

    private void write(byte[] b) {
        out.writeBytes(b);
    }
}
