package dev.panic.examples;

import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.NotFoundException;
import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.PlatformProvider;
import dev.panic.Readiness;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A platform for crash tests, found by the {@code panic} program on the test class path: its one
 * model, {@code calllog:grow}, appends " x" to its input and writes every call it receives to the
 * file named by {@code PANIC_CALL_LOG} before answering, one line per call, so a test can count
 * calls across processes that were killed.
 */
public final class CallLogPlatformProvider implements PlatformProvider {

    @Override
    public String id() {
        return "calllog";
    }

    @Override
    public Platform create(PlatformContext context) {
        Path log = context.setting("PANIC_CALL_LOG").map(Path::of).orElse(null);
        ModelInfo info = new ModelInfo(new ModelId("calllog", "grow"), Modality.TEXT, Modality.TEXT, "logs each call");
        return new Platform() {
            @Override
            public String id() {
                return "calllog";
            }

            @Override
            public String description() {
                return "logs every call, for crash tests";
            }

            @Override
            public List<ModelInfo> models() {
                return List.of(info);
            }

            @Override
            public Readiness readiness() {
                return Readiness.ready("logging to " + log);
            }

            @Override
            public Model model(String name, Parameters parameters) {
                if (!name.equals("grow")) {
                    throw new NotFoundException("no model '" + name + "' on calllog; known: grow");
                }
                return Model.of(info, parameters, (in, p) -> {
                    String text = ((Payload.Text) in).text();
                    if (log != null) {
                        append(log, text.length() + "\n");
                    }
                    return CompletableFuture.completedFuture(new ModelOutput(Payload.text(text + " x"),
                            Metadata.of(p)));
                });
            }
        };
    }

    private static synchronized void append(Path log, String line) {
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
