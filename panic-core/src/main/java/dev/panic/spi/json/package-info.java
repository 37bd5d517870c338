/**
 * JSON answers for adapters: {@link dev.panic.spi.json.StructuredOutput} checks a model's answer
 * against the JSON Schema a caller gave (parameter {@code json_schema}), asks once more with the
 * problem, and fails with an {@link dev.panic.exception.InvalidAnswerException} if the second answer
 * does not match either.
 */
package dev.panic.spi.json;
