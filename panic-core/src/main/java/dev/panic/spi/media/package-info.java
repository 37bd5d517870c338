/**
 * Media helpers for platform adapters and embedders: {@code data:} URIs
 * ({@link dev.panic.spi.media.DataUri}), images and sounds from downloaded bytes, checked by their
 * signature ({@link dev.panic.spi.media.MediaBytes}), and decoding images into pixels in memory
 * ({@link dev.panic.spi.media.ImageDecoder}).
 */
package dev.panic.spi.media;
