/** Settings of the HTTP layer that every platform adapter shares: timeouts, retries, rate limits, circuit breaking. */
package dev.panic.http;
