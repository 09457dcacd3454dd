-- Hosts (one per agent) and the last inventory each reported.
CREATE TABLE hosts (
    id                  TEXT NOT NULL PRIMARY KEY,   -- the agent id
    name                TEXT NOT NULL,               -- host name the agent reported
    agent_version       TEXT NOT NULL,
    os                  TEXT NOT NULL,
    architecture        TEXT NOT NULL,
    engine_version      TEXT NOT NULL,
    engine_api_version  TEXT NOT NULL,
    engine_reachable    INTEGER NOT NULL,
    engine_error        TEXT NULL,
    capabilities        TEXT NOT NULL,               -- JSON array
    first_seen_at       TEXT NOT NULL,               -- UTC, ISO 8601
    last_seen_at        TEXT NOT NULL,
    connected_at        TEXT NULL,
    disconnected_at     TEXT NULL
) STRICT;

CREATE TABLE containers (
    host_id             TEXT NOT NULL REFERENCES hosts (id) ON DELETE CASCADE,
    id                  TEXT NOT NULL,
    name                TEXT NOT NULL,
    image               TEXT NOT NULL,
    image_id            TEXT NOT NULL,
    state               TEXT NOT NULL,               -- created | running | paused | restarting | removing | exited | dead
    health              TEXT NOT NULL,               -- none | starting | healthy | unhealthy
    created_at          TEXT NULL,
    started_at          TEXT NULL,
    compose_project     TEXT NULL,
    compose_service     TEXT NULL,
    restart_count       INTEGER NOT NULL,
    exit_code           INTEGER NOT NULL,
    platform            TEXT NULL,                   -- os/arch[/variant]
    repo_digests        TEXT NOT NULL,               -- JSON array
    labels              TEXT NOT NULL,               -- JSON object
    networks            TEXT NOT NULL,               -- JSON array
    ports               TEXT NOT NULL,               -- JSON array
    updated_at          TEXT NOT NULL,
    PRIMARY KEY (host_id, id)
) STRICT;

CREATE INDEX ix_containers_name ON containers (name);
CREATE INDEX ix_containers_state ON containers (state);
