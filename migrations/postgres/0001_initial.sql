-- Deflect's shared stores (issue 15). Each document column holds the record
-- exactly as the embedded stores keep it; the other columns are copies kept
-- for filtering and ordering.

CREATE SEQUENCE ticket_seq;

CREATE TABLE tickets (
  id         text PRIMARY KEY,
  seq        bigint NOT NULL UNIQUE,
  status     text NOT NULL,
  channel    text NOT NULL,
  lang       text NOT NULL,
  tags       text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  doc        jsonb NOT NULL
);
CREATE INDEX tickets_by_created ON tickets (created_at DESC, seq DESC);
CREATE INDEX tickets_by_status ON tickets (status, created_at DESC);

-- The event log: appended in seq order; `rev` changes when retention or an
-- erasure rewrites an event, so report caches can tell.
CREATE SEQUENCE event_rev;

CREATE TABLE events (
  seq             bigserial PRIMARY KEY,
  id              text NOT NULL UNIQUE,
  at              timestamptz NOT NULL,
  day             text NOT NULL,
  type            text NOT NULL,
  conversation_id text NOT NULL,
  rev             bigint NOT NULL DEFAULT 0,
  doc             jsonb NOT NULL
);
CREATE INDEX events_by_day ON events (day, seq);
CREATE INDEX events_by_conversation ON events (conversation_id, seq);

-- The channels' state (botbuilder Storage): eTags from one sequence.
CREATE SEQUENCE channel_state_etag;

CREATE TABLE channel_state (
  key        text PRIMARY KEY,
  value      jsonb NOT NULL,
  etag       bigint NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
