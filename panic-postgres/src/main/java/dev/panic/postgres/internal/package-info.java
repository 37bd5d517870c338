/** How the PostgreSQL store works: connections, migrations, leases, media and paged reading. Not API. */
package dev.panic.postgres.internal;
