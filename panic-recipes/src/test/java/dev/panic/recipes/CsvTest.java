package dev.panic.recipes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.panic.exception.ValidationException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {

    private static final List<String> HEADER = List.of("title", "description", "metatags", "prompt");
    private static final List<String> NASTY = List.of("a, b", "she said \"hi\"", "line one\nline two\r\nline three",
            " padded ", "", "\"", ",", "ünïcødé, 日本");

    @TempDir
    Path dir;

    @Test
    void should_read_back_every_value_as_written_whatever_it_holds() {
        // given
        List<List<String>> rows = List.of(NASTY.subList(0, 4), NASTY.subList(4, 8));

        // when
        String text = Csv.table(HEADER, rows);

        // then
        assertThat(Csv.parse(text)).containsExactly(HEADER, rows.get(0), rows.get(1));
        assertThat(text).contains("\"a, b\"", "\"she said \"\"hi\"\"\"", "\" padded \"").endsWith("\r\n");
        assertThat(Csv.row(List.of("plain", "text"))).isEqualTo("plain,text\r\n");
    }

    @Test
    void should_write_the_header_once_and_append_rows_on_every_call() throws Exception {
        // given
        Path file = dir.resolve("out/batch_prompts.csv");

        // when
        Csv.append(file, HEADER, List.of(NASTY.subList(0, 4)));
        Csv.append(file, HEADER, List.of(NASTY.subList(4, 8), List.of("x", "y", "z", "w")));

        // then
        List<List<String>> read = Csv.parse(Files.readString(file, StandardCharsets.UTF_8));
        assertThat(read).containsExactly(HEADER, NASTY.subList(0, 4), NASTY.subList(4, 8), List.of("x", "y", "z", "w"));
    }

    @Test
    void should_refuse_a_file_with_other_columns_and_malformed_text() throws Exception {
        Path file = dir.resolve("other.csv");
        Files.writeString(file, "a,b\r\n1,2\r\n");
        assertThatThrownBy(() -> Csv.append(file, HEADER, List.of(List.of("1", "2", "3", "4"))))
                .isInstanceOf(ValidationException.class).hasMessageContaining("[a, b]");
        assertThat(Files.readString(file)).isEqualTo("a,b\r\n1,2\r\n");
        assertThatThrownBy(() -> Csv.parse("\"open")).isInstanceOf(ValidationException.class);
        assertThatThrownBy(() -> Csv.parse("a\"b")).isInstanceOf(ValidationException.class);
    }
}
