/** The JSON forms of PANIC's data that frontends, notebooks and spec files exchange. */
package dev.panic.json;
