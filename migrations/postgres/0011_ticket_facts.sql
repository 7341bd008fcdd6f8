-- The tickets report (issue 18) over millions of ticket events: each
-- ticket's facts (core/reports/ticketFacts.ts: times, status changes,
-- public replies, rating, group keys) kept compact beside it, so a report
-- reads a few hundred bytes per ticket instead of its whole document, and
-- only the tickets its period can count. A row is (re)made from the ticket
-- by the report itself whenever the ticket's row version (xmin) or the
-- facts' version differs, so no write path — an update, an import, an
-- erasure — can leave it stale; a deleted ticket takes its facts with it.
CREATE TABLE ticket_facts (
  id            text PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  -- The tickets row's xmin when these facts were made from it.
  row_version   text NOT NULL,
  facts_version int  NOT NULL,
  created_ms    double precision NOT NULL,
  -- The latest instant any of its figures can be counted at (creation, first response, a status change).
  last_ms       double precision NOT NULL,
  -- Open, pending or on hold: still in the backlog, its SLA clocks may still run out.
  unsolved      boolean NOT NULL,
  facts         json NOT NULL
);

-- A period from–to reads: created before `to`, and active since `from` or still unsolved.
CREATE INDEX ticket_facts_active ON ticket_facts (last_ms, created_ms);
CREATE INDEX ticket_facts_unsolved ON ticket_facts (created_ms) WHERE unsolved;
