/** The rapaio-jupyter-kernel adapter, found through the kernel's {@code DisplayProvider} service. */
package dev.panic.notebook.rapaio;
