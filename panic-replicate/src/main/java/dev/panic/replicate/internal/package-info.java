/**
 * Implementation of the Replicate platform: the prediction flow, the wire format, output parsing,
 * the catalogue and the embedders. Not an API: it may change in any release.
 */
package dev.panic.replicate.internal;
