-- Notifications: channels (where messages go), rules (which events go where), the durable outbox
-- (what still has to be delivered) and digest items (updates collected until their check run ends).

-- Non-secret settings are plain JSON; secret settings (webhook URLs, tokens, signing secrets) are one
-- JSON object encrypted with ASP.NET Core Data Protection (keys in <data directory>/keys).
CREATE TABLE notification_channels (
    id                  TEXT NOT NULL PRIMARY KEY,
    name                TEXT NOT NULL UNIQUE,
    type                TEXT NOT NULL,               -- webhook | slack | discord | ntfy | gotify | teams | telegram
    settings            TEXT NOT NULL,               -- JSON object of non-secret settings
    protected_secrets   TEXT NOT NULL,               -- Data Protection ciphertext of a JSON object
    enabled             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

CREATE TABLE notification_rules (
    id                  TEXT NOT NULL PRIMARY KEY,
    name                TEXT NOT NULL,
    channel_id          TEXT NOT NULL REFERENCES notification_channels (id) ON DELETE CASCADE,
    event_types         TEXT NOT NULL,               -- JSON array of event types or "prefix.*" patterns
    host_id             TEXT NULL,                   -- only events of this host
    project             TEXT NULL,                   -- only events of this Compose project
    digest              INTEGER NOT NULL DEFAULT 0,  -- collect a check run's events into one message
    title_template      TEXT NULL,
    body_template       TEXT NULL,
    enabled             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
) STRICT;

-- One row per (event, channel): the idempotency key makes enqueueing the same event twice a no-op,
-- and its id is the webhook-id receivers use to drop a redelivery.
CREATE TABLE notification_outbox (
    id                  TEXT NOT NULL PRIMARY KEY,
    idempotency_key     TEXT NOT NULL UNIQUE,        -- <event key>:<channel id>
    channel_id          TEXT NOT NULL,               -- no foreign key: a dead letter outlives its channel
    rule_id             TEXT NULL,
    event_type          TEXT NOT NULL,
    host_id             TEXT NULL,
    title               TEXT NOT NULL,
    body                TEXT NOT NULL,
    data                TEXT NOT NULL,               -- the event's JSON payload
    occurred_at         TEXT NOT NULL,
    status              TEXT NOT NULL,               -- pending | delivered | dead
    attempts            INTEGER NOT NULL DEFAULT 0,
    next_attempt_at     TEXT NOT NULL,
    last_error          TEXT NULL,
    created_at          TEXT NOT NULL,
    delivered_at        TEXT NULL
) STRICT;

CREATE INDEX ix_notification_outbox_due ON notification_outbox (status, next_attempt_at);

CREATE TABLE notification_digest_items (
    rule_id             TEXT NOT NULL REFERENCES notification_rules (id) ON DELETE CASCADE,
    check_run_id        TEXT NOT NULL,
    event_key           TEXT NOT NULL,
    event_type          TEXT NOT NULL,
    line                TEXT NOT NULL,               -- the event rendered as one line of the digest
    host_id             TEXT NULL,
    created_at          TEXT NOT NULL,
    PRIMARY KEY (rule_id, check_run_id, event_key)
) STRICT;
