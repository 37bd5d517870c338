-- PANIC's run store. JSON documents are the run store's own format (dev.panic.internal.store.JsonCodec,
-- as in run.json and predictions.jsonl), kept as json, not jsonb, so they come back exactly as written.
-- Columns beside them repeat what queries and listings need.

-- One row per run: its description and state, its place in a run tree, and its writer's lease.
CREATE TABLE panic_runs (
    id             text PRIMARY KEY,
    parent_id      text,                 -- the run it was forked or branched from (may be in another store)
    fork_sequence  integer,              -- the parent's last prediction it shares
    branch         boolean NOT NULL DEFAULT false,
    status         text NOT NULL,        -- as its writer last saved it; a lapsed lease makes a live one INTERRUPTED
    started_at     timestamptz,
    finished_at    timestamptz,
    info           json NOT NULL,        -- the run description without its spec
    lease_holder   text,                 -- the writer that holds the run, while it does
    lease_until    timestamptz,          -- when its lease lapses unless renewed (database clock)
    CHECK ((lease_holder IS NULL) = (lease_until IS NULL))
);
CREATE INDEX panic_runs_started ON panic_runs (started_at, id);
CREATE INDEX panic_runs_parent ON panic_runs (parent_id) WHERE parent_id IS NOT NULL;

-- A run's spec: everything needed to run it again.
CREATE TABLE panic_run_specs (
    run_id  text PRIMARY KEY REFERENCES panic_runs (id) ON DELETE CASCADE,
    spec    json NOT NULL
);

-- Steering revisions, in order.
CREATE TABLE panic_revisions (
    run_id          text NOT NULL REFERENCES panic_runs (id) ON DELETE CASCADE,
    number          integer NOT NULL,
    at              timestamptz NOT NULL,
    after_sequence  integer NOT NULL,
    revision        json NOT NULL,
    PRIMARY KEY (run_id, number)
);

-- A run's own predictions (a fork's shared prefix stays its parent's). A pending one was saved the moment its
-- output arrived and waits for its vectors.
CREATE TABLE panic_predictions (
    run_id       text NOT NULL REFERENCES panic_runs (id) ON DELETE CASCADE,
    sequence     integer NOT NULL,
    node         text NOT NULL,
    model        text NOT NULL,
    revision     integer NOT NULL,
    started_at   timestamptz NOT NULL,
    finished_at  timestamptz NOT NULL,
    succeeded    boolean NOT NULL,
    pending      boolean NOT NULL,
    record       json NOT NULL,          -- the prediction without its vectors; media as references by SHA-256
    PRIMARY KEY (run_id, sequence)
);

-- Vectors as little-endian IEEE-754 float32, bit for bit.
CREATE TABLE panic_embeddings (
    run_id      text NOT NULL,
    sequence    integer NOT NULL,
    embedder    text NOT NULL,
    position    smallint NOT NULL,       -- order among the prediction's vectors
    dimensions  integer NOT NULL,
    vector      bytea NOT NULL,
    PRIMARY KEY (run_id, sequence, embedder),
    FOREIGN KEY (run_id, sequence) REFERENCES panic_predictions (run_id, sequence) ON DELETE CASCADE,
    CHECK (octet_length(vector) = 4 * dimensions)
);

-- Every image and sound once, by content: all runs share it.
CREATE TABLE panic_media (
    sha256  text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size    integer NOT NULL,
    data    bytea NOT NULL
);
-- Media is mostly compressed already (PNG, JPEG, MP3): kept out of line, without compressing it again.
ALTER TABLE panic_media ALTER COLUMN data SET STORAGE EXTERNAL;

-- A run's latest saved analysis.
CREATE TABLE panic_analyses (
    run_id    text PRIMARY KEY REFERENCES panic_runs (id) ON DELETE CASCADE,
    saved_at  timestamptz NOT NULL,
    analysis  json NOT NULL
);
