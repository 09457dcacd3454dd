-- Per-container check schedules (harbor.check-schedule / rule field checkSchedule): a run started
-- because containers' own check schedules were due names those containers (JSON array of {hostId, containerId}).
ALTER TABLE check_runs ADD COLUMN containers TEXT NULL;
