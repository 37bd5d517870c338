package dev.panic.temporal;

import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.http.HttpSettings;
import dev.panic.spi.Futures;
import dev.panic.Platform;
import dev.panic.Readiness;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.PlatformHttp;
import dev.panic.spi.http.Secret;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * A hosted platform with a key, as an adapter writes one, for the tests: {@code stub:echo} (text to
 * text) posts to {@code BASE/calls} through {@link PlatformHttp}, limited to {@code perSecond}, and
 * answers its input with a dot added. Its client is built when the platform is, so it takes the
 * process's shared rate limit if one is set by then. Calls carry {@code X-Caller: caller}.
 */
final class StubHttpPlatform implements Platform {

    static final String KEY = "sk-stub-4f1c9a77d2e84b6a9c03e5d1b7a2f608";
    private static final ModelInfo ECHO = new ModelInfo(new ModelId("stub", "echo"), Modality.TEXT, Modality.TEXT,
            "answers its input with a dot added, over HTTP");

    private final URI base;
    private final PlatformHttp http;

    StubHttpPlatform(URI base, int perSecond, String caller) {
        this.base = base;
        this.http = PlatformHttp.builder("stub").bearer(Secret.of(KEY, "STUB_API_KEY")).credentialsOnlyFor(base)
                .settings(HttpSettings.builder().requestsPerPeriod(perSecond).period(Duration.ofSeconds(1)).build())
                .header("X-Caller", caller).build();
    }

    /** One call the platform does not count ({@code GET BASE/health}), so that a cold client's first sends do not bunch up. */
    StubHttpPlatform warmedUp() {
        http.send(ApiRequest.get(URI.create(base + "/health"))).join();
        return this;
    }

    @Override
    public String id() {
        return "stub";
    }

    @Override
    public String description() {
        return "a rate-limited loopback platform";
    }

    @Override
    public List<ModelInfo> models() {
        return List.of(ECHO);
    }

    @Override
    public Readiness readiness() {
        return Readiness.ready("loopback");
    }

    @Override
    public Model model(String name, Parameters parameters) {
        return Model.of(ECHO, parameters, (input, params) -> Futures.linked(
                http.send(ApiRequest.create(URI.create(base + "/calls"), "{}".getBytes(StandardCharsets.UTF_8))),
                r -> new ModelOutput(Payload.text(((Payload.Text) input).text() + "."),
                        Metadata.builder().parameters(params).build())));
    }
}
