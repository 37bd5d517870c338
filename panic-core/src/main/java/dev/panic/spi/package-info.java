/**
 * The service-provider interface for platforms: implement {@link dev.panic.spi.PlatformProvider}
 * and {@link dev.panic.spi.Platform}, list the provider in
 * {@code META-INF/services/dev.panic.spi.PlatformProvider}, and PANIC finds it.
 */
package dev.panic.spi;
