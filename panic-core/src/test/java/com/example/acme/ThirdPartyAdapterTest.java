package com.example.acme;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.AuthenticationException;
import dev.panic.exception.NotFoundException;
import dev.panic.http.HttpSettings;
import dev.panic.spi.Futures;
import dev.panic.Platform;
import dev.panic.PlatformContext;
import dev.panic.Readiness;
import dev.panic.spi.http.ApiRequest;
import dev.panic.spi.http.Json;
import dev.panic.spi.http.PendingResponse;
import dev.panic.spi.http.PlatformConfig;
import dev.panic.spi.http.PlatformHttp;
import dev.panic.spi.http.Secret;
import dev.panic.spi.media.DataUri;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The adapter README's "Adding a platform" walks through, built from the published SPI alone (no
 * {@code dev.panic.internal} import), against a stand-in of its API: what a third party writes.
 */
class ThirdPartyAdapterTest {

    @RegisterExtension
    static WireMockExtension server = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    /** Captions images on the (imaginary) Acme API. Kept in step with README's "Adding a platform". */
    static final class AcmePlatform implements Platform {
        private static final ModelInfo CAPTIONER = new ModelInfo(new ModelId("acme", "captioner"), Modality.IMAGE,
                Modality.TEXT, "captions an image");
        private final URI base;
        private final String problem;
        private final PlatformHttp http;

        AcmePlatform(PlatformContext context, HttpSettings settings) {
            PlatformConfig config = PlatformConfig.of(context);                        // the one way to read settings
            Secret key = config.key("ACME_API_KEY", null).orElse(null);
            base = URI.create(config.value("ACME_BASE_URL", null).orElse("https://api.acme.example/v1"));
            problem = key == null ? "set ACME_API_KEY to a key from https://acme.example/keys"
                    : config.problem().orElse(null);
            http = PlatformHttp.builder("acme").settings(settings).bearer(key)
                    .credentialsOnlyFor(base)                                          // the key goes nowhere else
                    .keyHint("check ACME_API_KEY")
                    .limitHeader("x-ratelimit-limit-requests", Duration.ofMinutes(1))  // the account's limit, if sent
                    .build();
        }

        @Override
        public String id() {
            return "acme";
        }

        @Override
        public String description() {
            return "Acme: image captions";
        }

        @Override
        public List<ModelInfo> models() {
            return List.of(CAPTIONER);
        }

        @Override
        public Readiness readiness() {
            return problem == null ? Readiness.ready("ACME_API_KEY is set") : Readiness.notReady(problem);
        }

        @Override
        public Model model(String name, Parameters parameters) {
            if (!name.equals("captioner")) {
                throw new NotFoundException("acme has no model '" + name + "'; it has: captioner");
            }
            return Model.of(CAPTIONER, parameters, (input, params) -> {
                if (problem != null) {
                    return CompletableFuture.failedFuture(new AuthenticationException(problem));
                }
                Payload.Image image = (Payload.Image) input;
                ObjectNode body = Json.object().put("image", DataUri.encode(image.data().toByteArray(), image.mediaType()));
                PendingResponse sent = http.send(ApiRequest.create(URI.create(base + "/captions"), Json.bytes(body)));
                // Cancelling the call (a run cancelled) cancels the request, or withdraws it if it still waits.
                return Futures.linked(sent, r -> new ModelOutput(Payload.text(r.json().path("caption").asText()),
                        Metadata.builder().parameters(params).platformPredictionId(r.json().path("id").asText()).build()));
            });
        }
    }

    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};

    @Test
    void should_call_its_api_through_the_published_spi_with_the_key_and_limit_it_reads() {
        server.stubFor(post("/v1/captions").willReturn(aResponse().withHeader("x-ratelimit-limit-requests", "30")
                .withBody("{\"id\":\"cap-1\",\"caption\":\"a small png\"}")));
        Map<String, String> env = Map.of("ACME_API_KEY", "acme-key-0123456789abcdef", "ACME_BASE_URL", server.baseUrl() + "/v1");
        AcmePlatform acme = new AcmePlatform(PlatformContext.of(env::get), HttpSettings.defaults());

        ModelOutput out = acme.model("captioner", Parameters.empty()).invoke(Payload.image(PNG, "image/png"));

        assertThat(acme.readiness().ready()).isTrue();
        assertThat(out.payload()).isEqualTo(Payload.text("a small png"));
        assertThat(out.metadata().platformPredictionId()).hasValue("cap-1");
        assertThat(acme.http.permitsPerSecond()).isEqualTo(0.5); // 30 a minute, as the answer said
        server.verify(postRequestedFor(urlEqualTo("/v1/captions"))
                .withHeader("Authorization", equalTo("Bearer acme-key-0123456789abcdef"))
                .withRequestBody(matchingJsonPath("$.image", equalTo(DataUri.encode(PNG, "image/png")))));
    }

    @Test
    void should_report_a_missing_key_as_not_ready_and_call_nothing() {
        AcmePlatform acme = new AcmePlatform(PlatformContext.of(Map.<String, String>of()::get), HttpSettings.defaults());

        assertThat(acme.readiness().detail()).contains("set ACME_API_KEY");
        assertThatThrownBy(() -> acme.model("captioner", Parameters.empty()).invoke(Payload.image(PNG, "image/png")))
                .isInstanceOf(AuthenticationException.class);
    }
}
