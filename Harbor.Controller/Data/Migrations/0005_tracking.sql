-- Semver tracking and blue-green updates.

-- The tag a semver-tracking container's range selected (NULL when it follows its own tag); the
-- row's reference and remote_digest are that tag's.
ALTER TABLE container_checks ADD COLUMN target_tag TEXT NULL;

-- How a job replaces the container: recreate (stop, then start the new one) or blue-green (start the
-- new one beside the old, then switch). Kept with the job so a re-sent command keeps its strategy.
ALTER TABLE update_jobs ADD COLUMN strategy TEXT NOT NULL DEFAULT 'recreate';
