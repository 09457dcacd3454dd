-- The verification phase an unfinished job is in, as its agent announced it (JobEvent.verification), so the
-- job page can count down. The start is on the controller's clock. Kept after the job ends (the last phase).
ALTER TABLE update_jobs ADD COLUMN verification_kind TEXT NULL;        -- healthcheck | stability | http_probe
ALTER TABLE update_jobs ADD COLUMN verification_window_ms INTEGER NULL; -- the longest wait (healthcheck, probe) or the window to last (stability)
ALTER TABLE update_jobs ADD COLUMN verification_started_at TEXT NULL;  -- when the phase started (controller clock)
ALTER TABLE update_jobs ADD COLUMN verification_url TEXT NULL;         -- http_probe: the URL probed
