-- When an agent credential last authenticated a stream, and from which address. Written once per
-- stream start, never per heartbeat: the host's last_seen_at already says whether it is alive.
-- Null for credentials not used since this column was added.
ALTER TABLE agent_credentials ADD COLUMN last_used_at TEXT NULL;
ALTER TABLE agent_credentials ADD COLUMN last_used_from TEXT NULL;

-- Who revoked an enrollment token (kind:name, as agent_credentials.revoked_by), beside when; before
-- this it was only in the audit log, so tokens revoked earlier keep a null here.
ALTER TABLE enrollment_tokens ADD COLUMN revoked_by TEXT NULL;
