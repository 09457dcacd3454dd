-- Automation: when each remote digest was first seen per container (minimum age), the engine's last
-- decision per container (the "why not" a user reads) and approvals for policy "approve".

-- Keyed by container name: the id changes with every update, the name stays.
CREATE TABLE digest_sightings (
    host_id         TEXT NOT NULL,
    container_name  TEXT NOT NULL,
    digest          TEXT NOT NULL,
    first_seen_at   TEXT NOT NULL,
    PRIMARY KEY (host_id, container_name, digest)
) STRICT;

CREATE TABLE automation_decisions (
    host_id          TEXT NOT NULL,
    container_name   TEXT NOT NULL,
    container_id     TEXT NOT NULL,
    digest           TEXT NOT NULL,           -- the remote digest the decision is about
    mode             TEXT NOT NULL,           -- auto | notify | approve | ignore
    action           TEXT NOT NULL,           -- none | notify | approve | update | wait | blocked | error
    reason           TEXT NOT NULL,
    not_before       TEXT NULL,               -- when a waiting update may go ahead, when known
    decided_at       TEXT NOT NULL,
    job_id           TEXT NULL,               -- the job the engine started, for action = update
    last_update_at   TEXT NULL,               -- the engine's last automatic job on this container (schedule)
    notified_digest  TEXT NULL,               -- update.available is published once per digest
    PRIMARY KEY (host_id, container_name)
) STRICT;

CREATE TABLE approvals (
    id              TEXT NOT NULL PRIMARY KEY,
    host_id         TEXT NOT NULL,
    container_id    TEXT NOT NULL,
    container_name  TEXT NOT NULL,
    image           TEXT NOT NULL,
    target_digest   TEXT NOT NULL,
    state           TEXT NOT NULL,            -- pending | approved | rejected | expired
    created_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    decided_at      TEXT NULL,
    decided_by      TEXT NULL,
    comment         TEXT NULL,
    job_id          TEXT NULL
) STRICT;

-- One approval per container and digest: a rejected or expired digest is not asked for again.
CREATE UNIQUE INDEX ux_approvals_digest ON approvals (host_id, container_name, target_digest);
CREATE INDEX ix_approvals_state ON approvals (state, created_at);

-- Staged rollouts: one per (checked reference, new digest), moving through the configured host groups.
CREATE TABLE rollouts (
    id              TEXT NOT NULL PRIMARY KEY,
    reference       TEXT NOT NULL,            -- the normalized repository:tag the containers run
    digest          TEXT NOT NULL,
    stage           INTEGER NOT NULL,         -- index into the configured groups; = count: hosts in no group
    state           TEXT NOT NULL,            -- active | soaking | completed | halted
    soak_until      TEXT NULL,
    halted_reason   TEXT NULL,
    halted_job_id   TEXT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (reference, digest)
) STRICT;

CREATE TABLE rollout_jobs (
    rollout_id      TEXT NOT NULL REFERENCES rollouts (id) ON DELETE CASCADE,
    job_id          TEXT NOT NULL,
    stage           INTEGER NOT NULL,
    host_id         TEXT NOT NULL,
    container_name  TEXT NOT NULL,
    PRIMARY KEY (rollout_id, job_id)
) STRICT;
