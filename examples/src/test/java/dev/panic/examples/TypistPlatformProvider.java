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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A streaming platform for terminal tests, found by the {@code panic} program on the test class
 * path: {@code typist:slow} answers a text with its words in reverse order, one word every
 * {@code TYPIST_DELAY_MS} (150 by default), passing each to the run as a streamed piece.
 */
public final class TypistPlatformProvider implements PlatformProvider {

    private static final ScheduledExecutorService CLOCK = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "typist");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String id() {
        return "typist";
    }

    @Override
    public Platform create(PlatformContext context) {
        long delay = context.setting("TYPIST_DELAY_MS").map(Long::parseLong).orElse(150L);
        ModelInfo info = new ModelInfo(new ModelId("typist", "slow"), Modality.TEXT, Modality.TEXT,
                "types its input's words backwards, slowly");
        return new Platform() {
            @Override
            public String id() {
                return "typist";
            }

            @Override
            public String description() {
                return "streams slowly, for terminal tests";
            }

            @Override
            public List<ModelInfo> models() {
                return List.of(info);
            }

            @Override
            public Readiness readiness() {
                return Readiness.ready("always");
            }

            @Override
            public Model model(String name, Parameters parameters) {
                if (!name.equals("slow")) {
                    throw new NotFoundException("no model '" + name + "' on typist; known: slow");
                }
                return Model.of(info, parameters, new Model.Invoker() {
                    @Override
                    public CompletableFuture<ModelOutput> invoke(Payload input, Parameters p) {
                        return invoke(input, p, piece -> { });
                    }

                    @Override
                    public CompletableFuture<ModelOutput> invoke(Payload input, Parameters p, Consumer<String> partial) {
                        String[] words = ((Payload.Text) input).text().trim().split("\\s+");
                        StringBuilder out = new StringBuilder();
                        CompletableFuture<ModelOutput> done = new CompletableFuture<>();
                        type(words, words.length - 1, out, partial, done, p);
                        return done;
                    }

                    private void type(String[] words, int i, StringBuilder out, Consumer<String> partial,
                                      CompletableFuture<ModelOutput> done, Parameters p) {
                        if (done.isDone()) {
                            return;
                        }
                        if (i < 0) {
                            done.complete(new ModelOutput(Payload.text(out.toString()), Metadata.of(p)));
                            return;
                        }
                        CLOCK.schedule(() -> {
                            String piece = (out.length() == 0 ? "" : " ") + words[i];
                            out.append(piece);
                            partial.accept(piece);
                            type(words, i - 1, out, partial, done, p);
                        }, delay, TimeUnit.MILLISECONDS);
                    }
                });
            }
        };
    }
}
