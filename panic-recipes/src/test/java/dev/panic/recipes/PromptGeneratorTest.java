package dev.panic.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.Platforms;
import dev.panic.exception.InvalidAnswerException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PromptGeneratorTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private final Platforms platforms = Platforms.discover();

    @Test
    void should_write_prompts_from_drawn_suggestions_and_append_them_to_the_csv() throws Exception {
        // given
        PromptGenerator generator = PromptGenerator.builder(platforms).seed(7).build();
        Path csv = dir.resolve("output/batch_prompts.csv");

        // when
        List<GeneratedPrompt> first = generator.write(3).join();
        Csv.append(csv, GeneratedPrompt.COLUMNS, first.stream().map(GeneratedPrompt::row).toList());
        List<GeneratedPrompt> second = PromptGenerator.builder(platforms).seed(8).build().write(2).join();
        Csv.append(csv, GeneratedPrompt.COLUMNS, second.stream().map(GeneratedPrompt::row).toList());

        // then: each prompt is built on the suggestions its request named, and the CSV reads back whole
        String request = generator.request(0);
        String theme = request.lines().filter(l -> l.startsWith("theme: ")).findFirst().orElseThrow().substring(7);
        assertThat(first.get(0).metatags()).startsWith(theme.toLowerCase(java.util.Locale.ROOT));
        assertThat(first.get(0).prompt()).isEqualTo(first.get(0).description() + ", " + first.get(0).metatags());
        assertThat(first.get(0).description()).contains(", "); // a value that needs quoting in CSV
        assertThat(request).contains("examples:\n{\"title\":\"Harbour Keeper\"");
        List<List<String>> rows = Csv.parse(Files.readString(csv));
        assertThat(rows).hasSize(6);
        assertThat(rows.get(0)).isEqualTo(GeneratedPrompt.COLUMNS);
        assertThat(rows.subList(1, 6)).containsExactlyElementsOf(
                java.util.stream.Stream.concat(first.stream(), second.stream()).map(GeneratedPrompt::row).toList());
        assertThat(generator.request(1)).isNotEqualTo(request);
        assertThat(PromptGenerator.builder(platforms).seed(7).build().request(0)).isEqualTo(request);
    }

    @Test
    void should_make_a_batch_of_pictures_in_a_folder_named_after_the_title_with_its_info() throws Exception {
        // given
        GeneratedPrompt prompt = GeneratedPrompt.of("Brass Owl in Foggy Harbour", "A red circle, on a blue background",
                "owl, harbour");

        // when
        PromptGenerator.Batch batch = PromptGenerator.builder(platforms).build()
                .batch(prompt, platforms.model("sim:painter", Parameters.of("size", 256)), 3, dir);
        PromptGenerator.Batch again = PromptGenerator.builder(platforms).build()
                .batch(prompt, platforms.model("sim:painter"), 1, dir);

        // then
        assertThat(batch.folder()).isEqualTo(dir.resolve("brass-owl-in-foggy-harbour"));
        assertThat(again.folder()).isEqualTo(dir.resolve("brass-owl-in-foggy-harbour-2"));
        assertThat(batch.images()).extracting(p -> p.getFileName().toString())
                .containsExactly("image-01.png", "image-02.png", "image-03.png");
        assertThat(javax.imageio.ImageIO.read(batch.images().get(0).toFile()).getWidth()).isEqualTo(256);
        JsonNode info = JSON.readTree(batch.folder().resolve("info.json").toFile());
        assertThat(info.get("title").asText()).isEqualTo("Brass Owl in Foggy Harbour");
        assertThat(info.get("prompt").asText()).isEqualTo("A red circle, on a blue background, owl, harbour");
        assertThat(info.get("model").asText()).isEqualTo("sim:painter");
        assertThat(info.get("parameters").get("size").asInt()).isEqualTo(256);
        assertThat(info.get("images")).hasSize(3);
        assertThat(Files.readString(batch.folder().resolve("info.md"))).startsWith("# Brass Owl in Foggy Harbour")
                .contains("![image-02.png](image-02.png)");
    }

    @Test
    void should_never_write_a_row_for_an_answer_that_stays_invalid() throws Exception {
        // given: a writer that answers every third request in broken JSON, again and again
        AtomicInteger calls = new AtomicInteger();
        Model sim = platforms.model("sim:prompter");
        Model flaky = Model.of(new ModelInfo(ModelId.parse("t:flaky"), Modality.TEXT, Modality.TEXT, "flaky"),
                Parameters.empty(), (in, p) -> {
                    calls.incrementAndGet();
                    if (((Payload.Text) in).text().contains("misty")) {
                        return CompletableFuture.completedFuture(new ModelOutput(Payload.text("{\"title\": \"half"),
                                null));
                    }
                    return sim.invokeAsync(in, p);
                });
        PromptGenerator.Suggestions misty = new PromptGenerator.Suggestions(List.of("noir"), List.of("a cat", "a dog"),
                List.of("a misty pier"));
        Path csv = dir.resolve("prompts.csv");

        // when
        assertThatThrownBy(() -> {
            List<GeneratedPrompt> ps = PromptGenerator.builder(platforms).writer(flaky).suggestions(misty).attempts(2)
                    .build().write(2).join();
            Csv.append(csv, GeneratedPrompt.COLUMNS, ps.stream().map(GeneratedPrompt::row).toList());
        }).isInstanceOf(CompletionException.class).hasCauseInstanceOf(InvalidAnswerException.class);

        // then
        assertThat(csv).doesNotExist();
        assertThat(calls).hasValue(4);
    }

    @Test
    void should_read_the_user_s_suggestions_and_examples_and_say_what_is_wrong_with_them() throws Exception {
        Path s = dir.resolve("s.json");
        Files.writeString(s, "{\"theme\": [\"vaporwave\"], \"elements\": [\"a palm tree\"], \"environment\": [\"a mall\"]}");
        Path e = dir.resolve("e.jsonl");
        Files.writeString(e, "{\"title\": \"A\", \"description\": \"B\", \"metatags\": \"c, d\"}\n\n");
        PromptGenerator g = PromptGenerator.builder(platforms).suggestions(PromptGenerator.Suggestions.read(s))
                .examples(PromptGenerator.readExamples(e)).seed(1).build();
        assertThat(g.request(0)).contains("theme: vaporwave", "elements: a palm tree\n", "environment: a mall",
                "{\"title\":\"A\",\"description\":\"B\",\"metatags\":\"c, d\"}");
        assertThat(g.write(1).join().get(0).title()).isEqualTo("Palm Tree in Mall");

        Files.writeString(e, "{\"title\": \"A\"}\n");
        assertThatThrownBy(() -> PromptGenerator.readExamples(e)).hasMessageContaining("line 1")
                .hasMessageContaining("\"description\" is missing");
        Files.writeString(s, "{\"theme\": []}");
        assertThatThrownBy(() -> PromptGenerator.Suggestions.read(s)).hasMessageContaining("elements");
    }
}
