/**
 * The Replicate platform: {@link dev.panic.replicate.ReplicatePlatform} (found by
 * {@code Platforms.discover()} through {@link dev.panic.replicate.ReplicatePlatformProvider}, or
 * built by hand) and {@link dev.panic.replicate.ReplicateModel}, the declaration of a model to run.
 * Everything under {@code dev.panic.replicate.internal} is implementation and may change.
 */
package dev.panic.replicate;
