-- Queues without a cap (issue 18): a team's queue is ordered by priority,
-- then SLA due time, then age. The due time is computed from the ticket's
-- events and the SLA policy, never stored as a timer; what is kept here is
-- the sort key derived from them (core/triage/queueOrder.ts), written with
-- each ticket change and made again by the first queue read under another
-- policy (queue_policy: the policy's fingerprint). NULL: not keyed yet.
ALTER TABLE tickets
  ADD COLUMN queue_key    text COLLATE "C",
  ADD COLUMN queue_policy text;

-- A team's queue in one status, one page at a time; the same without a team.
CREATE INDEX tickets_queue_order ON tickets (team, status, queue_key);
CREATE INDEX tickets_queue_order_any_team ON tickets (status, queue_key);
-- First come first served teams: oldest first, then id.
CREATE INDEX tickets_queue_fifo ON tickets (team, status, created_at, id COLLATE "C");
-- Rows keyed under another policy (or not at all), found without a scan.
CREATE INDEX tickets_queue_policy ON tickets (queue_policy);
