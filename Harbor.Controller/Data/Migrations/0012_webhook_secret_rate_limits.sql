-- The webhook secret once an admin has rotated it (one row; encrypted with the controller's data-protection
-- keys). Until the first rotation there is no row and the configured (or generated) secret is used.
CREATE TABLE webhook_secret (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    protected_secret TEXT NOT NULL,
    rotated_at TEXT NOT NULL,
    rotated_by TEXT NULL
);

-- What each registry last said about its rate limit, so the Registries page and the back-off after a
-- 429 survive a controller restart.
CREATE TABLE registry_rate_limits (
    registry TEXT PRIMARY KEY,
    remaining INTEGER NULL,     -- requests left in the window, as last reported
    request_limit INTEGER NULL, -- requests per window, when the registry says
    observed_at TEXT NULL,      -- when the headers were last seen
    paused_until TEXT NULL,     -- Retry-After of the last 429/503: no request before this
    updated_at TEXT NOT NULL
);
