-- Controller-side policy rules and host groups (staged rollout, rule scopes).
CREATE TABLE policy_rules (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT NOT NULL,
    scope_kind   TEXT NOT NULL,   -- global | hostGroup | host | composeProject | image | container
    scope_value  TEXT NULL,
    priority     INTEGER NOT NULL DEFAULT 0,
    settings     TEXT NOT NULL,   -- JSON object: policy field -> value as text
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

ALTER TABLE hosts ADD COLUMN host_group TEXT NULL;
