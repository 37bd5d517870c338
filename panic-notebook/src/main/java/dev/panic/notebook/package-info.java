/** PANIC in Java notebooks. */
package dev.panic.notebook;
