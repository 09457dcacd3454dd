-- Semver tracking and blue-green updates.

-- The tag a semver-tracking container's range selected (NULL when it follows its own tag); the
-- row's reference and remote_digest are that tag's.
ALTER TABLE container_checks ADD COLUMN target_tag TEXT NULL;

-- How a job replaces the container: recreate (stop, then start the new one) or blue-green (start the
-- new one beside the old, then switch). Kept with the job so a re-sent command keeps its strategy.
ALTER TABLE update_jobs ADD COLUMN strategy TEXT NOT NULL DEFAULT 'recreate';

-- The image reference the container had before the job (e.g. app:1.4.0 before semver tracking moved it
-- to app:1.5.2), so a rollback also puts the container back on its previous tag.
ALTER TABLE update_jobs ADD COLUMN from_image TEXT NULL;
