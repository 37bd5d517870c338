/**
 * The OpenAI adapter's insides: wire records following the OpenAPI description, the endpoints,
 * parameter checks and the price table. Not API: anything here may change.
 */
package dev.panic.openai.internal;
