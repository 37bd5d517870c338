package dev.panic.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.panic.exception.PanicException;
import dev.panic.http.HttpSettings;
import dev.panic.PlatformContext;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.imageio.ImageIO;

/** What the OpenAI tests share: a platform aimed at WireMock, a test key, and ways to read what was sent. */
final class OpenAiTesting {

    /** Looks like a real key, so a leak would be recognisable. */
    static final String KEY = "sk-proj-TestKeyThatMustNeverLeak0123456789";

    static final ObjectMapper JSON = new ObjectMapper();

    private OpenAiTesting() {
    }

    /** Quick back-off, so retry tests do not slow the suite. */
    static HttpSettings fastHttp() {
        return HttpSettings.builder().initialBackoff(Duration.ofMillis(10)).maxBackoff(Duration.ofMillis(50)).build();
    }

    /** A platform with the test key, talking to {@code server} as its base URL, reading nothing from the environment. */
    static OpenAiPlatform.Builder platform(WireMockExtension server) {
        return OpenAiPlatform.builder().apiKey(KEY).baseUrl(server.baseUrl() + "/v1").http(fastHttp())
                .context(PlatformContext.of(Map.<String, String>of()::get));
    }

    /** Waits for a future and throws what it failed with, unwrapped. */
    static <T> T join(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            throw PanicException.from(e);
        }
    }

    /** The JSON bodies of every request to {@code path}. */
    static List<JsonNode> bodies(WireMockExtension server, String path) {
        return requests(server, path).stream().map(r -> {
            try {
                return JSON.readTree(r.getBodyAsString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).toList();
    }

    /** Every request to {@code path}. */
    static List<LoggedRequest> requests(WireMockExtension server, String path) {
        return server.findAll(com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo(path)));
    }

    /** A real PNG of one colour. */
    static byte[] png(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, 0x3366cc);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The start of an MP3 file: an ID3 tag header and a few bytes. */
    static byte[] mp3() {
        return new byte[] {'I', 'D', '3', 4, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 1, 2, 3};
    }

    /** JSON text from single-quoted text, to keep bodies readable in tests. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }
}
