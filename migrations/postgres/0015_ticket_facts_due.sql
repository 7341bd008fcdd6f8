-- The tickets report (issue 18) without a scan of every ticket per report:
-- until now each report compared every ticket's row version (xmin) with
-- its facts' (migration 0011), reading the whole tickets heap. Instead, a
-- trigger queues each ticket written, by any path (an update, an import, a
-- hand-made SQL change), in the same transaction as the write, and the
-- report remakes the facts of the queued tickets only, holding their queue
-- rows while it does (core/storage/postgres/pgTicketFacts.ts). `n` counts
-- the writes; bumping it is what makes a write's trigger take the queued
-- row's lock, so a write to a ticket whose facts are being made waits for
-- them, then queues the ticket again.
CREATE TABLE ticket_facts_due (
  id text PRIMARY KEY REFERENCES tickets (id) ON DELETE CASCADE,
  n  bigint NOT NULL DEFAULT 1
);

-- Statement-level with transition tables: a bulk import of thousands of
-- tickets queues them in one statement, in id order (the order removals lock in).
CREATE FUNCTION ticket_facts_due_queue() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO ticket_facts_due (id)
  SELECT id FROM written ORDER BY id
  ON CONFLICT (id) DO UPDATE SET n = ticket_facts_due.n + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER tickets_inserted_facts_due AFTER INSERT ON tickets
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_due_queue();
CREATE TRIGGER tickets_updated_facts_due AFTER UPDATE ON tickets
  REFERENCING NEW TABLE AS written FOR EACH STATEMENT EXECUTE FUNCTION ticket_facts_due_queue();

-- Tickets written before this migration whose facts are missing or stale are queued now.
INSERT INTO ticket_facts_due (id)
SELECT t.id FROM tickets t LEFT JOIN ticket_facts f ON f.id = t.id
 WHERE f.id IS NULL OR f.row_version <> t.xmin::text;
