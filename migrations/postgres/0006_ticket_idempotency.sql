-- Idempotent ticket creation (issue 15): a client that retries POST
-- /api/tickets with the same Idempotency-Key — against another instance,
-- after a kill -9 — gets the same ticket, not a second one. The claim is
-- inserted in the ticket's own transaction (core/storage/postgres/pgTicketStore.ts),
-- so a crash leaves both or neither; hashes and a salt only, never the key or
-- the follow-up token.
CREATE TABLE ticket_idempotency (
  key        text PRIMARY KEY,
  request    text NOT NULL,
  salt       text NOT NULL,
  -- Deferred: the claim is taken first (it decides whether there is a ticket to insert).
  ticket_id  text NOT NULL REFERENCES tickets (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_idempotency_by_created ON ticket_idempotency (created_at);
CREATE INDEX ticket_idempotency_by_ticket ON ticket_idempotency (ticket_id);
