-- Platforms' rate limits shared by every process on an account (dev.panic.http.PermitSource).
-- One row per bucket: the generic cell rate algorithm's schedule, on the database's clock, so that
-- processes on machines whose clocks disagree still draw from one schedule. A reservation is one
-- UPDATE ... RETURNING; the row lock orders concurrent ones.
CREATE TABLE panic_rate_buckets (
    bucket      text PRIMARY KEY,     -- platform:fingerprint of the key's origin and the key (never the key)
    next_at     timestamptz NOT NULL, -- when the permit after the last one reserved is due
    updated_at  timestamptz NOT NULL  -- when the last one was reserved
);
