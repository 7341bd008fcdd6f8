-- Webhook deliveries owed (issue 15): one row per delivery until the
-- receiver takes it. Workers on every instance claim due rows with
-- FOR UPDATE SKIP LOCKED and a lease, so each attempt is made by one of
-- them, and a killed instance's lease runs out for another to take over.
-- The payload is `json`, not `jsonb`, so the body keeps its key order.

CREATE TABLE deliveries (
  id          text PRIMARY KEY,
  seq         bigserial NOT NULL,
  event       text NOT NULL,
  payload     json NOT NULL,
  status      text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'dead')),
  attempts    int NOT NULL DEFAULT 0,
  due_at      timestamptz NOT NULL DEFAULT now(),
  lease_owner text,
  lease_until timestamptz,
  last_error  text,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX deliveries_due ON deliveries (due_at, seq) WHERE status = 'pending';
CREATE INDEX deliveries_dead ON deliveries (seq) WHERE status = 'dead';
