-- Tracing: each job remembers the W3C trace context it was created in, so a command sent again after
-- a reconnect, and the result recorded later, stay in the same trace (docs/observability.md).
ALTER TABLE update_jobs ADD COLUMN trace_parent TEXT NULL;  -- traceparent of the controller's "update_job.create" span
ALTER TABLE update_jobs ADD COLUMN trace_state TEXT NULL;
