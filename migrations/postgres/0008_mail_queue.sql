-- E-mail to the customer (issue 17): each mail is a delivery like a webhook,
-- in the same table and claimed the same way (FOR UPDATE SKIP LOCKED and a
-- lease), so exactly one instance sends it and a refused one is retried with
-- backoff. `queue` tells the two apart; existing rows are webhooks.
ALTER TABLE deliveries ADD COLUMN queue text NOT NULL DEFAULT 'webhook';
DROP INDEX deliveries_due;
DROP INDEX deliveries_dead;
CREATE INDEX deliveries_due ON deliveries (queue, due_at, seq) WHERE status = 'pending';
CREATE INDEX deliveries_dead ON deliveries (queue, seq) WHERE status = 'dead';

-- The key that seals each ticket's follow-up token for the mails sent after
-- its creation (core/mail/linkSeal.ts), when MAIL_LINK_SECRET is not set:
-- one row, made by whichever instance needs it first.
CREATE TABLE mail_link_key (
  id  int PRIMARY KEY CHECK (id = 1),
  key bytea NOT NULL
);
