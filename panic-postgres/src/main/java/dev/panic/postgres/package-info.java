/** A run store on PostgreSQL, shared by many processes: {@link dev.panic.postgres.PostgresRunStore}. */
package dev.panic.postgres;
