package dev.panic.spi.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.panic.Metadata;
import dev.panic.Modality;
import dev.panic.Model;
import dev.panic.ModelId;
import dev.panic.ModelInfo;
import dev.panic.ModelOutput;
import dev.panic.Parameters;
import dev.panic.Payload;
import dev.panic.exception.InvalidAnswerException;
import dev.panic.exception.ValidationException;
import dev.panic.spi.http.Json;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class StructuredOutputTest {

    private static final Map<String, Object> SCHEMA = Map.of("type", "object",
            "properties", Map.of("title", Map.of("type", "string", "minLength", 1),
                    "tags", Map.of("type", "array", "items", Map.of("type", "string"), "maxItems", 3),
                    "mood", Map.of("enum", List.of("calm", "wild")),
                    "size", Map.of("$ref", "#/$defs/size")),
            "required", List.of("title", "tags"),
            "additionalProperties", false,
            "$defs", Map.of("size", Map.of("type", "integer", "minimum", 1)));
    private static final JsonNode TREE = Json.MAPPER.valueToTree(SCHEMA);

    @Test
    void should_accept_json_that_matches_and_name_each_mismatch() {
        assertThat(StructuredOutput.problem("{\"title\":\"Dusk\",\"tags\":[\"sea\"],\"mood\":\"calm\",\"size\":3}", TREE))
                .isEmpty();
        assertThat(StructuredOutput.problem("```json\n{\"title\":\"Dusk\",\"tags\":[]}\n```", TREE)).isEmpty();
        assertThat(StructuredOutput.problem("{\"title\":\"Dusk\"}", TREE))
                .contains("$ is missing the required property \"tags\"");
        assertThat(StructuredOutput.problem("{\"title\":7,\"tags\":[\"a\",1]}", TREE).orElseThrow())
                .contains("$.title should be string but is 7").contains("$.tags[1] should be string but is 1");
        assertThat(StructuredOutput.problem("{\"title\":\"x\",\"tags\":[],\"colour\":\"red\"}", TREE).orElseThrow())
                .contains("\"colour\", which the schema does not allow");
        assertThat(StructuredOutput.problem("{\"title\":\"x\",\"tags\":[],\"mood\":\"sad\"}", TREE).orElseThrow())
                .contains("$.mood should be one of [\"calm\",\"wild\"]");
        assertThat(StructuredOutput.problem("{\"title\":\"x\",\"tags\":[],\"size\":0}", TREE).orElseThrow())
                .contains("$.size is 0, below the minimum");
        assertThat(StructuredOutput.problem("{\"title\":\"x\",\"tags\":[\"a\",\"b\",\"c\",\"d\"]}", TREE).orElseThrow())
                .contains("at most 3 items");
        assertThat(StructuredOutput.problem("a title: Dusk", TREE).orElseThrow()).startsWith("it is not valid JSON");
        assertThat(StructuredOutput.problem("[1]", TREE)).contains("$ should be object but is an array");
    }

    @Test
    void should_ask_once_more_with_the_problem_then_fail_typed() {
        List<StructuredOutput.Correction> corrections = new ArrayList<>();
        Deque<String> answers = new ArrayDeque<>(List.of("{\"title\":\"Dusk\"}", "{\"tags\":[]}"));
        CompletableFuture<ModelOutput> out = StructuredOutput.checked(ModelId.parse("x:y"), TREE, c -> {
            corrections.add(c);
            return CompletableFuture.completedFuture(new ModelOutput(Payload.text(answers.pop()), Metadata.empty()));
        });

        assertThatThrownBy(out::join).isInstanceOf(CompletionException.class).cause()
                .isInstanceOf(InvalidAnswerException.class)
                .hasMessageContaining("x:y answered twice")
                .hasMessageContaining("missing the required property \"tags\" / $ is missing the required property \"title\"");
        assertThat(corrections).hasSize(2);
        assertThat(corrections.get(0)).isNull();
        assertThat(corrections.get(1).answer()).isEqualTo("{\"title\":\"Dusk\"}");
        assertThat(corrections.get(1).instruction()).contains("{\"title\":\"Dusk\"}")
                .contains("missing the required property \"tags\"");
    }

    @Test
    void should_keep_a_corrected_answer_with_both_costs_and_the_first_problem() {
        Deque<String> answers = new ArrayDeque<>(List.of("not json", "{\"title\":\"Dusk\",\"tags\":[]}"));
        ModelOutput out = StructuredOutput.checked(ModelId.parse("x:y"), TREE, c -> CompletableFuture.completedFuture(
                new ModelOutput(Payload.text(answers.pop()), Metadata.builder().costUsd(0.25).build()))).join();

        assertThat(out.payload()).isEqualTo(Payload.text("{\"title\":\"Dusk\",\"tags\":[]}"));
        assertThat(out.metadata().costUsd()).hasValue(0.5);
        assertThat((String) out.metadata().extras().get("json_schema_retry")).startsWith("it is not valid JSON");
    }

    @Test
    void should_refuse_a_schema_for_a_model_that_takes_none_and_a_schema_that_is_not_an_object() {
        ModelInfo plain = new ModelInfo(ModelId.parse("x:plain"), Modality.TEXT, Modality.TEXT, "");
        Model.Invoker echo = (in, p) -> CompletableFuture.completedFuture(new ModelOutput(in, Metadata.of(p)));
        Model noSchema = Model.of(plain, Parameters.empty(), echo);
        Model schema = Model.of(plain.withJsonSchema(), Parameters.empty(), echo);

        assertThatThrownBy(() -> noSchema.invokeAsync(Payload.text("hi"), Parameters.of(ModelInfo.JSON_SCHEMA, SCHEMA)))
                .isInstanceOf(ValidationException.class).hasMessageContaining("cannot be given a JSON schema")
                .hasMessageContaining("JsonAnswer");
        assertThatThrownBy(() -> schema.invokeAsync(Payload.text("hi"), Parameters.of(ModelInfo.JSON_SCHEMA, "json")))
                .isInstanceOf(ValidationException.class).hasMessageContaining("must be a JSON Schema object");
        assertThat(schema.invokeAsync(Payload.text("hi"), Parameters.of(ModelInfo.JSON_SCHEMA, SCHEMA)).join().payload())
                .isEqualTo(Payload.text("hi"));
        assertThatThrownBy(() -> new ModelInfo(ModelId.parse("x:p"), Modality.TEXT, Modality.IMAGE, "").withJsonSchema())
                .isInstanceOf(ValidationException.class);
    }
}
