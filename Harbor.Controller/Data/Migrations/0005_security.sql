-- Security: people (users, sessions, MFA recovery codes), machines (API keys, agent enrollment tokens
-- and certificates), encrypted secrets, host groups for RBAC limits, and the audit trail.
-- Secrets are stored only as hashes (passwords, tokens, keys) or Data Protection ciphertext.

CREATE TABLE users (
    id                  TEXT NOT NULL PRIMARY KEY,
    user_name           TEXT NOT NULL COLLATE NOCASE UNIQUE,
    password_hash       TEXT NOT NULL,               -- ASP.NET Core Identity PasswordHasher (PBKDF2)
    role                TEXT NOT NULL,               -- admin | operator | viewer
    host_groups         TEXT NULL,                   -- JSON array of group names; NULL = every host
    totp_secret         TEXT NULL,                   -- Data Protection ciphertext, set at enrolment
    totp_enabled        INTEGER NOT NULL DEFAULT 0,
    totp_last_step      INTEGER NULL,                -- last accepted TOTP time step (no replays)
    disabled            INTEGER NOT NULL DEFAULT 0,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE TABLE recovery_codes (
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash           TEXT NOT NULL,               -- SHA-256, hex
    used_at             TEXT NULL,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

CREATE TABLE sessions (
    id                  TEXT NOT NULL PRIMARY KEY,   -- public id, shown in lists
    token_hash          TEXT NOT NULL UNIQUE,        -- SHA-256 of the cookie value, hex
    user_id             TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at          TEXT NOT NULL,
    last_seen_at        TEXT NOT NULL,
    expires_at          TEXT NOT NULL,               -- absolute limit; the idle limit runs from last_seen_at
    remote_ip           TEXT NULL,
    user_agent          TEXT NULL,
    revoked_at          TEXT NULL,
    revoked_by          TEXT NULL
) STRICT;

CREATE INDEX ix_sessions_user ON sessions (user_id);

CREATE TABLE api_keys (
    id                  TEXT NOT NULL PRIMARY KEY,   -- public part of the key
    name                TEXT NOT NULL,
    secret_hash         TEXT NOT NULL,               -- SHA-256 of the secret part, hex
    scopes              TEXT NOT NULL,               -- JSON array: read | check | update | admin | webhook
    owner_user_id       TEXT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at          TEXT NOT NULL,
    expires_at          TEXT NULL,
    last_used_at        TEXT NULL,
    revoked_at          TEXT NULL,
    rotated_to          TEXT NULL,                   -- the key that replaced this one
    grace_until         TEXT NULL                    -- after rotation: still valid until then
) STRICT;

CREATE TABLE enrollment_tokens (
    id                  TEXT NOT NULL PRIMARY KEY,
    secret_hash         TEXT NOT NULL,
    description         TEXT NULL,
    created_by          TEXT NULL,
    created_at          TEXT NOT NULL,
    expires_at          TEXT NOT NULL,
    used_at             TEXT NULL,
    used_by_agent       TEXT NULL,
    revoked_at          TEXT NULL
) STRICT;

CREATE TABLE agent_credentials (
    thumbprint          TEXT NOT NULL PRIMARY KEY,   -- SHA-256 of the client certificate, hex
    agent_id            TEXT NOT NULL,
    host_name           TEXT NOT NULL,
    serial_number       TEXT NOT NULL,
    enrollment_token_id TEXT NULL,
    issued_at           TEXT NOT NULL,
    expires_at          TEXT NOT NULL,
    revoked_at          TEXT NULL,
    revoked_by          TEXT NULL
) STRICT;

CREATE INDEX ix_agent_credentials_agent ON agent_credentials (agent_id);

CREATE TABLE secrets (
    name                TEXT NOT NULL PRIMARY KEY,
    value               TEXT NOT NULL,               -- Data Protection ciphertext, never plain text
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

-- Host groups that RBAC limits users to are hosts.host_group (0003): one notion of a host group for
-- access limits, rule scopes and staged rollouts.
CREATE INDEX hosts_by_group ON hosts (host_group) WHERE host_group IS NOT NULL;

CREATE TABLE audit_events (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    at                  TEXT NOT NULL,
    actor_kind          TEXT NOT NULL,               -- user | api_key | agent | system | anonymous
    actor_id            TEXT NULL,
    actor_name          TEXT NULL,
    action              TEXT NOT NULL,
    target              TEXT NULL,
    outcome             TEXT NOT NULL,               -- success | failure
    status_code         INTEGER NULL,
    remote_ip           TEXT NULL,
    detail              TEXT NULL
) STRICT;

CREATE INDEX ix_audit_events_at ON audit_events (at);
