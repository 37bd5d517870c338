/** The JJava adapter, installed through the kernel's {@code Extension} service. */
package dev.panic.notebook.jjava;
