package dev.panic;

import dev.panic.exception.ValidationException;

/**
 * What a judging rule (a language model asked whether an output meets its mark) answered about
 * one prediction; recorded on the prediction it judged ({@link Prediction#verdicts()}).
 *
 * @param rule   the rule that asked, e.g. {@code judge}
 * @param stop   true if the answer means the run should stop
 * @param answer what the judge answered, as it said it
 * @param judge  the model that judged
 */
public record Verdict(String rule, boolean stop, String answer, ModelId judge) {
    /** Checks the fields. */
    public Verdict {
        if (rule == null || rule.isBlank() || answer == null || judge == null) {
            throw new ValidationException("a verdict needs its rule, the judge's answer and the judge's model id");
        }
    }
}
