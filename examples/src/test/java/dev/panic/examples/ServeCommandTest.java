package dev.panic.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.panic.Platforms;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_print_the_url_serve_the_runs_on_localhost_and_stop_when_interrupted() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Thread[] serving = new Thread[1];
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        serving[0] = new Thread(() -> exit.complete(PanicCli.execute(Platforms::discover, new PrintWriter(out),
                new PrintWriter(err), false, "serve", "--port", "0", "-o", dir.resolve("runs").toString())));
        serving[0].start();
        Pattern url = Pattern.compile("open (http://localhost:\\d+/)");
        Matcher m = url.matcher("");
        for (int i = 0; i < 200 && !m.find(); i++) {
            Thread.sleep(50);
            m = url.matcher(out.toString());
        }
        assertThat(m.find(0)).as(out + "\n" + err).isTrue();

        HttpResponse<String> runs = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(m.group(1)
                + "runs")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(runs.statusCode()).isEqualTo(200);
        assertThat(runs.body()).contains("No runs yet").contains(dir.resolve("runs").toString());
        assertThat(out.toString()).contains("serving the runs in " + dir.resolve("runs"))
                .doesNotContain("anyone who can reach");
        serving[0].interrupt();
        assertThat(exit.get(20, TimeUnit.SECONDS)).isZero();
    }
}
