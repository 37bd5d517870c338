package dev.panic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.ValidationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParametersTest {

    @Test
    void should_merge_overrides_over_defaults_without_changing_either() {
        Parameters defaults = Parameters.of("steps", 4, "seed", 1);
        Parameters merged = defaults.merge(Parameters.of("seed", 7));

        assertThat(merged.asMap()).containsExactly(Map.entry("steps", 4L), Map.entry("seed", 7L));
        assertThat(defaults.get("seed")).hasValue(1L);
    }

    @Test
    void should_be_immutable_even_when_built_from_a_mutable_list() {
        List<Object> list = new ArrayList<>(List.of("a"));
        Parameters p = Parameters.of("stop", list);
        list.add("b");

        assertThat(p.get("stop")).hasValue(List.of("a"));
        assertThatThrownBy(() -> p.asMap().put("x", 1)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void should_reject_values_that_are_not_json_like() {
        assertThatThrownBy(() -> Parameters.of("when", new Object()))
                .isInstanceOf(ValidationException.class).hasMessageContaining("parameter 'when' has a Object");
        assertThatThrownBy(() -> Parameters.of("seed", null))
                .isInstanceOf(ValidationException.class).hasMessageContaining("null value");
    }

    @Test
    void should_compare_numbers_by_value_whatever_their_java_type() {
        assertThat(Parameters.of("n", 4)).isEqualTo(Parameters.of("n", 4L));
        assertThat(Parameters.of("t", 0.1f).get("t")).hasValue(0.1);
        assertThat(Parameters.of("l", List.of(1, (short) 2)).get("l")).hasValue(List.of(1L, 2L));
        assertThatThrownBy(() -> Parameters.of("t", Double.NaN))
                .isInstanceOf(ValidationException.class).hasMessageContaining("finite");
    }

    @Test
    void should_read_numbers_from_numbers_and_numeric_strings() {
        Parameters p = Parameters.of("t", "0.5", "n", 3);
        assertThat(p.getNumber("t")).hasValue(0.5);
        assertThat(p.getNumber("n")).hasValue(3.0);
        assertThatThrownBy(() -> Parameters.of("t", "hot").getNumber("t"))
                .hasMessage("parameter 't' must be a number, got 'hot'");
    }
}
