-- Published index snapshots (issue 15): every instance serves the snapshot
-- that current_snapshot names. A snapshot is its folder packed into one
-- gzip archive (core/indexing/snapshotArchive.ts), stored in chunks so no
-- single value approaches bytea's 1 GB limit or holds a whole large graph in
-- one row. Publishing notifies the channel `deflect_snapshots`.

CREATE TABLE snapshots (
  id           text PRIMARY KEY,
  -- publication order: pruning keeps the newest few
  seq          bigserial NOT NULL UNIQUE,
  -- the KB revision the snapshot was built from (hash of its articles' hashes and synonyms)
  revision     text NOT NULL,
  published_at timestamptz NOT NULL DEFAULT now(),
  bytes        bigint NOT NULL,
  chunks       int NOT NULL,
  -- sha256 of the whole archive, checked by the follower that downloads it
  sha256       text NOT NULL
);

CREATE TABLE snapshot_chunks (
  snapshot_id text NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
  seq         int NOT NULL,
  data        bytea NOT NULL,
  PRIMARY KEY (snapshot_id, seq)
);
-- The archive is gzip already: spare PostgreSQL a second compression attempt.
ALTER TABLE snapshot_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- The current pointer: one row, switched in the transaction that publishes.
CREATE TABLE current_snapshot (
  singleton   boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  snapshot_id text NOT NULL REFERENCES snapshots (id),
  updated_at  timestamptz NOT NULL DEFAULT now()
);
