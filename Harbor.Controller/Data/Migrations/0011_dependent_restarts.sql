-- Restart jobs (kind = restart): a container restarted in place after a container it depends on was
-- updated. The job row says why, and restarts after one update run one after another in dependency order.
ALTER TABLE update_jobs ADD COLUMN cause TEXT NULL;             -- why, in words: "dependency 'db' updated by job 1a2b…"
ALTER TABLE update_jobs ADD COLUMN caused_by_job_id TEXT NULL;  -- the update job whose success caused this restart
ALTER TABLE update_jobs ADD COLUMN after_job_id TEXT NULL;      -- sent only once this job has finished (restart order)

CREATE INDEX ix_update_jobs_caused_by ON update_jobs (caused_by_job_id) WHERE caused_by_job_id IS NOT NULL;
CREATE INDEX ix_update_jobs_after ON update_jobs (after_job_id) WHERE after_job_id IS NOT NULL;
