package dev.panic.spi.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.panic.Modality;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class PlatformHttpCredentialsTest {

    @RegisterExtension
    static WireMockExtension api = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    @RegisterExtension
    static WireMockExtension storage = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String KEY = "sk-CredentialsTestKey0123";
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13};

    @Test
    void should_send_the_key_to_the_api_origin_only() {
        api.stubFor(get("/v1/thing").willReturn(aResponse().withBody("{}")));
        storage.stubFor(get("/img.png").willReturn(aResponse().withHeader("Content-Type", "image/png").withBody(PNG)));
        PlatformHttp http = PlatformHttp.builder("testplat").bearer(Secret.of(KEY, "TEST_KEY"))
                .credentialsOnlyFor(URI.create(api.baseUrl() + "/v1")).build();

        http.send(ApiRequest.get(URI.create(api.baseUrl() + "/v1/thing"))).join();
        // Another port on the same machine is another origin, as a cloud store is.
        http.download(storage.baseUrl() + "/img.png", Modality.IMAGE).join();

        api.verify(getRequestedFor(urlEqualTo("/v1/thing")).withHeader("Authorization", equalTo("Bearer " + KEY)));
        storage.verify(getRequestedFor(urlEqualTo("/img.png")).withHeader("Authorization", absent()));
    }

    @Test
    void should_compare_origins_by_scheme_host_and_effective_port() {
        assertThat(PlatformHttp.sameOrigin(URI.create("https://api.openai.com/v1"),
                URI.create("https://API.openai.com:443/v1/images/generations"))).isTrue();
        assertThat(PlatformHttp.sameOrigin(URI.create("https://api.openai.com/v1"),
                URI.create("https://files.example.net/img.png"))).isFalse();
        assertThat(PlatformHttp.sameOrigin(URI.create("http://localhost:8080/v1"),
                URI.create("http://localhost:8081/v1"))).isFalse();
        assertThat(PlatformHttp.sameOrigin(URI.create("http://localhost/v1"),
                URI.create("https://localhost/v1"))).isFalse();
    }
}
