package dev.panic.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.InvalidAnswerException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class JsonAnswerTest {

    private final List<String> asked = new ArrayList<>();

    /** A model that gives these answers in turn, each call costing a cent. */
    private Model scripted(String... answers) {
        Deque<String> left = new ArrayDeque<>(List.of(answers));
        return Model.of(new ModelInfo(ModelId.parse("t:writer"), Modality.TEXT, Modality.TEXT, "scripted"),
                Parameters.empty(), (in, p) -> {
                    asked.add(((Payload.Text) in).text());
                    return CompletableFuture.completedFuture(new ModelOutput(Payload.text(left.pop()),
                            Metadata.builder().costUsd(0.01).build()));
                });
    }

    @Test
    void should_ask_again_with_the_error_until_the_answer_is_valid() {
        // given
        Model writer = scripted("Sure! Here it is: {title: nope}", "{\"title\": \"T\", \"description\": 3}",
                "```json\n{\"title\": \"T\", \"description\": \"D, with \\\"quotes\\\"\"}\n```");

        // when
        JsonAnswer.Answer a = JsonAnswer.of(writer, "title", "description").ask("write it").join();

        // then
        assertThat(a.attempts()).isEqualTo(3);
        assertThat(a.text("description")).isEqualTo("D, with \"quotes\"");
        assertThat(a.rejected()).hasSize(2);
        assertThat(a.rejected().get(0)).startsWith("it is not valid JSON");
        assertThat(a.rejected().get(1)).isEqualTo("the field \"description\" is not a string");
        assertThat(a.costUsd()).isEqualTo(0.03, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(asked.get(0)).isEqualTo("write it");
        assertThat(asked.get(2)).startsWith("write it\n\nYour previous answer was:\n{\"title\": \"T\", \"description\": 3}")
                .contains("It is not valid: the field \"description\" is not a string")
                .endsWith("keys title, description.");
    }

    @Test
    void should_fail_with_a_typed_error_naming_every_problem_when_the_attempts_are_used_up() {
        Model writer = scripted("[]", "{\"title\": \"\"}");
        assertThatThrownBy(() -> JsonAnswer.of(writer, "title").attempts(2).ask("x").join())
                .isInstanceOf(CompletionException.class).cause().isInstanceOf(InvalidAnswerException.class)
                .hasMessageContaining("in 2 attempts").hasMessageContaining("it is not a JSON object")
                .hasMessageContaining("the field \"title\" is empty");
        assertThat(asked).hasSize(2);
    }

    @Test
    void should_give_a_model_that_takes_a_schema_one_requiring_the_fields() {
        List<Parameters> given = new ArrayList<>();
        Model writer = Model.of(new ModelInfo(ModelId.parse("t:schema"), Modality.TEXT, Modality.TEXT, "").withJsonSchema(),
                Parameters.empty(), (in, p) -> {
                    given.add(p);
                    return CompletableFuture.completedFuture(new ModelOutput(Payload.text("{\"title\": \"T\"}"),
                            Metadata.empty()));
                });

        JsonAnswer.of(writer, "title").ask("write it").join();
        JsonAnswer.of(writer, "title").parameters(Parameters.of(ModelInfo.JSON_SCHEMA, java.util.Map.of("type", "object")))
                .ask("write it").join();
        JsonAnswer.of(scripted("{\"title\": \"T\"}"), "title").ask("write it").join();

        assertThat(given.get(0).get(ModelInfo.JSON_SCHEMA)).contains(java.util.Map.of("type", "object",
                "properties", java.util.Map.of("title", java.util.Map.of("type", "string")), "required", List.of("title")));
        assertThat(given.get(1).get(ModelInfo.JSON_SCHEMA)).as("the caller's own schema wins")
                .contains(java.util.Map.of("type", "object"));
        assertThat(asked).as("a model without schema support is asked in the prompt only").containsExactly("write it");
    }

    @Test
    void should_say_what_is_wrong_with_an_answer() {
        assertThat(JsonAnswer.problem("{\"a\": \"x\"}", List.of("a"))).isEmpty();
        assertThat(JsonAnswer.problem("{\"a\": \"x\"} trailing", List.of("a")).orElseThrow()).startsWith("it is not valid JSON");
        assertThat(JsonAnswer.problem("{}", List.of("a", "b"))).hasValue("the field \"a\" is missing; the field \"b\" is missing");
    }
}
