/** The kernel-neutral views behind the notebook adapters. Not a public API. */
package dev.panic.notebook.internal;
