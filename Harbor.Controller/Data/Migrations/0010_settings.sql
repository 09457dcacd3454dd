-- Settings changed at run time from the UI (first-run wizard progress, retention), one row per key.
-- Configuration files stay the source for everything else; these rows are what an admin set here.
CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NULL       -- user name of the admin who set it
);
