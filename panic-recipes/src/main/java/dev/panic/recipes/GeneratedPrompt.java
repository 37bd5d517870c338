package dev.panic.recipes;

import dev.panic.exception.ValidationException;
import java.util.List;

/**
 * An image prompt as the prompt generator's writer gives it, and the text sent to an image model.
 *
 * @param title       a short name for the picture; its batch folder is named after it
 * @param description what the picture shows
 * @param metatags    comma-separated tags
 * @param prompt      what an image model is given: the description, then the tags
 */
public record GeneratedPrompt(String title, String description, String metatags, String prompt) {

    /** The fields a writer must answer with, in order. */
    static final String[] FIELDS = {"title", "description", "metatags"};

    /** The columns of the prompts CSV, in order: {@code title, description, metatags, prompt}. */
    public static final List<String> COLUMNS = List.of("title", "description", "metatags", "prompt");

    /** Checks that every field has text. */
    public GeneratedPrompt {
        if (title == null || title.isBlank() || description == null || description.isBlank() || metatags == null
                || prompt == null || prompt.isBlank()) {
            throw new ValidationException("a prompt needs a title, a description, metatags and the prompt text");
        }
    }

    /** The prompt whose text is the description followed by the tags. */
    public static GeneratedPrompt of(String title, String description, String metatags) {
        String d = description.strip();
        String tags = metatags.strip();
        return new GeneratedPrompt(title.strip(), d, tags, tags.isEmpty() ? d : d + ", " + tags);
    }

    /** Its row of the prompts CSV, in the order of {@link #COLUMNS}. */
    public List<String> row() {
        return List.of(title, description, metatags, prompt);
    }
}
