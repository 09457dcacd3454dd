-- Update jobs. Each row is also the audit record of the job: who or what started it, the image it
-- replaced and the one it installed, how it ended and why, and how long it took.
CREATE TABLE update_jobs (
    id                   TEXT NOT NULL PRIMARY KEY,
    host_id              TEXT NOT NULL,               -- the agent the job belongs to (no FK: audit outlives hosts)
    container_id         TEXT NOT NULL,               -- the container the job was for
    container_name       TEXT NOT NULL,               -- stable across updates (the id changes)
    kind                 TEXT NOT NULL,               -- update | rollback
    trigger              TEXT NOT NULL,               -- api | rollback | (later) policy, schedule, webhook
    requested_by         TEXT NOT NULL,               -- the user or API key, "anonymous" until auth lands
    target_image         TEXT NOT NULL,               -- repository@sha256:… (or sha256:<image id> for a rollback)
    target_tag           TEXT NULL,                   -- repository:tag kept pointing at it
    verify_stability_ms  INTEGER NULL,
    verify_health_cap_ms INTEGER NULL,
    verify_http_url      TEXT NULL,
    state                TEXT NOT NULL,               -- pending | sent | running | finished
    outcome              TEXT NULL,                   -- succeeded | rolled_back | failed | refused
    reason               TEXT NULL,
    reason_code          TEXT NULL,                   -- e.g. exited, unhealthy, pull_failed, expired
    from_image_id        TEXT NULL,
    from_digest          TEXT NULL,
    to_image_id          TEXT NULL,
    to_digest            TEXT NULL,
    result_container_id  TEXT NULL,                   -- the container running after the job
    current_step         TEXT NULL,
    progress             REAL NULL,
    last_message         TEXT NULL,
    recovered            INTEGER NOT NULL DEFAULT 0,  -- decided by the agent's start-up recovery
    steps                TEXT NULL,                   -- JSON array of the agent's step timings
    created_at           TEXT NOT NULL,
    sent_at              TEXT NULL,
    accepted_at          TEXT NULL,
    started_at           TEXT NULL,
    finished_at          TEXT NULL,
    duration_ms          INTEGER NULL
) STRICT;

CREATE INDEX ix_update_jobs_container ON update_jobs (host_id, container_name, created_at);
CREATE INDEX ix_update_jobs_created ON update_jobs (created_at);
CREATE INDEX ix_update_jobs_state ON update_jobs (state);
-- One unfinished job per container: a second request is refused instead of racing the first.
CREATE UNIQUE INDEX ux_update_jobs_active ON update_jobs (host_id, container_name) WHERE state <> 'finished';

-- Progress as the agent streamed it (step starts and ends; pull progress only updates the job row).
CREATE TABLE update_job_events (
    id        INTEGER NOT NULL PRIMARY KEY,
    job_id    TEXT NOT NULL REFERENCES update_jobs (id) ON DELETE CASCADE,
    sequence  INTEGER NOT NULL,
    step      TEXT NOT NULL,
    message   TEXT NOT NULL,
    progress  REAL NOT NULL,
    at        TEXT NOT NULL
) STRICT;

CREATE INDEX ix_update_job_events_job ON update_job_events (job_id, id);

-- Digests that failed verification on a container; not installed there again until a user clears them.
CREATE TABLE blocked_digests (
    host_id         TEXT NOT NULL,
    container_name  TEXT NOT NULL,
    digest          TEXT NOT NULL,
    job_id          TEXT NOT NULL,
    reason          TEXT NOT NULL,
    blocked_at      TEXT NOT NULL,
    PRIMARY KEY (host_id, container_name, digest)
) STRICT;
