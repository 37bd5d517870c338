/**
 * The OpenAI platform, {@code openai}: {@link dev.panic.openai.OpenAiPlatform} (built with its
 * builder or found by {@code Platforms.discover()} through {@link dev.panic.openai.OpenAiPlatformProvider}),
 * and {@link dev.panic.openai.OpenAiModel}, the common model names. Wire formats live in
 * {@code dev.panic.openai.internal}, which is not API.
 */
package dev.panic.openai;
