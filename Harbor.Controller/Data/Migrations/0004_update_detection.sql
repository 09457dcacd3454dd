-- Update detection: registry credentials, check runs and each container's last check result.

-- One credential per registry. The secret is encrypted with ASP.NET Core Data Protection
-- (keys in <data directory>/keys, owner-only) and never leaves the controller through the API.
CREATE TABLE registry_credentials (
    id                  TEXT NOT NULL PRIMARY KEY,
    registry            TEXT NOT NULL UNIQUE,        -- as in image references: docker.io, ghcr.io, host:port
    username            TEXT NOT NULL,
    protected_secret    TEXT NOT NULL,
    source              TEXT NOT NULL,               -- api | docker-config | credential-helper:<name>
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE TABLE check_runs (
    id                  TEXT NOT NULL PRIMARY KEY,
    triggered_by        TEXT NOT NULL,               -- api | schedule | webhook
    scope               TEXT NOT NULL,               -- all | host | container | repository
    host_id             TEXT NULL,
    container_id        TEXT NULL,
    repositories        TEXT NULL,                   -- JSON array of registry/repository (webhook runs)
    status              TEXT NOT NULL,               -- queued | running | completed | failed
    created_at          TEXT NOT NULL,
    started_at          TEXT NULL,
    finished_at         TEXT NULL,
    containers_total    INTEGER NOT NULL DEFAULT 0,
    references_total    INTEGER NOT NULL DEFAULT 0,
    references_done     INTEGER NOT NULL DEFAULT 0,
    up_to_date          INTEGER NOT NULL DEFAULT 0,
    update_available    INTEGER NOT NULL DEFAULT 0,
    pinned              INTEGER NOT NULL DEFAULT 0,
    local_only          INTEGER NOT NULL DEFAULT 0,
    errors              INTEGER NOT NULL DEFAULT 0,
    registry_requests   INTEGER NOT NULL DEFAULT 0,
    error               TEXT NULL
) STRICT;

CREATE INDEX ix_check_runs_created ON check_runs (created_at);

-- The last check result per container; removed with the container.
CREATE TABLE container_checks (
    host_id             TEXT NOT NULL,
    container_id        TEXT NOT NULL,
    status              TEXT NOT NULL,               -- up-to-date | update-available | pinned | local | error
    reference           TEXT NULL,                   -- the normalized reference that was checked
    remote_digest       TEXT NULL,                   -- what the tag points to in the registry
    error               TEXT NULL,                   -- why, when status = error (or why local)
    checked_at          TEXT NOT NULL,
    check_run_id        TEXT NOT NULL,
    PRIMARY KEY (host_id, container_id),
    FOREIGN KEY (host_id, container_id) REFERENCES containers (host_id, id) ON DELETE CASCADE
) STRICT;

CREATE INDEX ix_container_checks_status ON container_checks (status);
