-- Triage (issue 18): agents filter tickets by team, priority, type and
-- category, and read a team's queue (its open tickets by priority, then
-- age). The document stays the record; these columns are copies kept for
-- filtering and ordering, filled from the documents already stored.
ALTER TABLE tickets
  ADD COLUMN team     text,
  ADD COLUMN priority text,
  ADD COLUMN type     text,
  ADD COLUMN category text;

UPDATE tickets SET
  team = doc->>'team',
  priority = doc->>'priority',
  type = doc->>'type',
  category = doc->>'category'
WHERE doc ?| array['team', 'priority', 'type', 'category'];

-- A team's queue: its tickets in one status, most urgent first, oldest first.
CREATE INDEX tickets_queue ON tickets (team, status, priority, created_at);
CREATE INDEX tickets_by_priority ON tickets (priority, created_at DESC);
CREATE INDEX tickets_by_category ON tickets (lower(category), created_at DESC);
