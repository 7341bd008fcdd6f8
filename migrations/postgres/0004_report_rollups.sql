-- Reports over events in SQL (issue 15). The deflection report is computed
-- where the events are (core/storage/postgres/pgReportFigures.ts): closed days
-- from per-day rollups, the last days and partial days live, with the same
-- definitions as the in-process scan (core/reports/outcomes.ts).

-- What the report reads of each event, as narrow columns PostgreSQL keeps in
-- step with `doc` on every insert and rewrite (an erasure that drops an
-- e-mail changes r_email too), so no query has to open the JSON documents.
ALTER TABLE events
  ADD COLUMN r_lang text GENERATED ALWAYS AS (NULLIF(doc->>'lang', '')) STORED,
  ADD COLUMN r_channel text GENERATED ALWAYS AS (NULLIF(doc->>'channel', '')) STORED,
  -- Question: 0 answer (also any unknown action), 1 clarify, 2 ticket (ACTION in core/reports/dayFacts.ts).
  ADD COLUMN r_action smallint GENERATED ALWAYS AS (
    CASE doc->>'action' WHEN 'clarify' THEN 1 WHEN 'ticket' THEN 2 ELSE 0 END) STORED,
  -- Question: the article answered, else the first one displayed.
  ADD COLUMN r_article text GENERATED ALWAYS AS (COALESCE(
    NULLIF(doc->>'articleId', ''),
    jsonb_path_query_first(doc, '$.shown[*].articleId ? (@ != "")') #>> '{}')) STORED,
  ADD COLUMN r_shown int GENERATED ALWAYS AS (
    jsonb_array_length(jsonb_path_query_array(doc, '$.shown[*].articleId ? (@ != "")'))) STORED,
  ADD COLUMN r_helpful boolean GENERATED ALWAYS AS (doc->'helpful' = 'true'::jsonb) STORED,
  -- Ticket: index in REASONS (user, not_helpful, no_answer).
  ADD COLUMN r_reason smallint GENERATED ALWAYS AS (
    CASE doc->>'reason' WHEN 'not_helpful' THEN 1 WHEN 'no_answer' THEN 2 ELSE 0 END) STORED,
  -- The asker's identity keys (identityKeys in core/reports/dayFacts.ts).
  ADD COLUMN r_uid text GENERATED ALWAYS AS (NULLIF(doc->'user'->>'id', '')) STORED,
  ADD COLUMN r_email text GENERATED ALWAYS AS (
    NULLIF(lower(btrim(doc->'user'->>'email', E' \t\r\n')), '')) STORED;

CREATE INDEX events_by_at ON events (at);

-- A version per day, bumped by every insert, rewrite or removal of its events,
-- so a rollup can tell in one small read whether the days it was built from
-- changed — whichever instance changed them.
CREATE SEQUENCE event_day_version;
CREATE TABLE event_day_versions (
  day     text PRIMARY KEY,
  version bigint NOT NULL
);

CREATE FUNCTION bump_event_day_versions() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO event_day_versions (day, version)
    SELECT day, nextval('event_day_version') FROM (SELECT DISTINCT day FROM changed ORDER BY day) d
  ON CONFLICT (day) DO UPDATE SET version = EXCLUDED.version;
  RETURN NULL;
END $$;

CREATE TRIGGER events_inserted AFTER INSERT ON events REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION bump_event_day_versions();
CREATE TRIGGER events_updated AFTER UPDATE ON events REFERENCING NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION bump_event_day_versions();
CREATE TRIGGER events_deleted AFTER DELETE ON events REFERENCING OLD TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION bump_event_day_versions();

INSERT INTO event_day_versions (day, version)
  SELECT day, nextval('event_day_version') FROM (SELECT DISTINCT day FROM events ORDER BY day) d;

-- Every question asked in [from_at, to_at), settled: its verdicts (feedback
-- within the window, to the last question before it in its conversation) and
-- the first ticket that escalated it (from its conversation or a shared
-- identity key, after it in time order and at most the window later).
CREATE FUNCTION report_settle(from_at timestamptz, to_at timestamptz, window_ms bigint)
RETURNS TABLE (day text, at timestamptz, lang text, channel text, article text, answered boolean,
               suggested boolean, confirmed boolean, not_helpful boolean, ticket bigint, reason smallint)
-- Sorting a few days of events by conversation needs more than the default 4 MB, and no locale; row counts
-- of CTEs are guessed badly in a function, and a nested loop over two of them is quadratic: hash joins only.
LANGUAGE sql STABLE SET work_mem = '64MB' SET enable_nestloop = off AS $$
  WITH ev AS MATERIALIZED (
    SELECT e.seq, e.at, e.day, e.type, e.conversation_id, e.r_lang, e.r_channel, e.r_action, e.r_article,
           e.r_shown, e.r_helpful, e.r_reason, e.r_uid, e.r_email,
           count(*) FILTER (WHERE e.type = 'question')
             OVER (PARTITION BY e.conversation_id COLLATE "C" ORDER BY e.at, e.seq) AS nth
      FROM events e
     WHERE e.at >= from_at AND e.at <= to_at + window_ms * interval '1 millisecond'
       AND e.type IN ('question', 'feedback', 'ticket')
  ), q AS (
    SELECT * FROM ev WHERE type = 'question' AND at < to_at
  ), verdicts AS (
    SELECT q.seq, bool_or(f.r_helpful) AS confirmed, bool_or(NOT f.r_helpful) AS not_helpful
      FROM q JOIN ev f ON f.type = 'feedback' AND f.conversation_id = q.conversation_id AND f.nth = q.nth
                      AND f.at <= q.at + window_ms * interval '1 millisecond'
     GROUP BY q.seq
  ), keyed AS (
    SELECT seq, at, type, r_reason, 'c' || conversation_id AS k FROM ev WHERE type <> 'feedback'
    UNION ALL SELECT seq, at, type, r_reason, 'i' || r_uid FROM ev WHERE type <> 'feedback' AND r_uid IS NOT NULL
    UNION ALL SELECT seq, at, type, r_reason, 'e' || r_email FROM ev WHERE type <> 'feedback' AND r_email IS NOT NULL
  ), escalation AS (
    SELECT DISTINCT ON (qk.seq) qk.seq, tk.seq AS ticket, tk.r_reason AS reason
      FROM keyed qk JOIN keyed tk ON tk.k COLLATE "C" = qk.k AND tk.type = 'ticket' AND (tk.at, tk.seq) > (qk.at, qk.seq)
                                 AND tk.at <= qk.at + window_ms * interval '1 millisecond'
     WHERE qk.type = 'question' AND qk.at < to_at
     ORDER BY qk.seq, tk.at, tk.seq
  )
  SELECT q.day, q.at, q.r_lang, q.r_channel, q.r_article, q.r_action = 0, q.r_action <> 0 AND q.r_shown > 0,
         COALESCE(v.confirmed, false), COALESCE(v.not_helpful, false), x.ticket, x.reason
    FROM q LEFT JOIN verdicts v ON v.seq = q.seq LEFT JOIN escalation x ON x.seq = q.seq
$$;

-- Closed days (every question's window over), settled once per window length
-- and rebuilt when `source` no longer equals the highest version of the days
-- they read (the day itself and the window after it).
CREATE TABLE report_rollup_days (
  day         text NOT NULL,
  window_days int NOT NULL,
  source      bigint,
  PRIMARY KEY (window_days, day)
);

-- The day's questions, counted per language, channel and article.
CREATE TABLE report_rollup_questions (
  window_days           int NOT NULL,
  day                   text NOT NULL,
  lang                  text,
  channel               text,
  article               text,
  questions             int NOT NULL,
  answered              int NOT NULL,
  suggested             int NOT NULL,
  confirmed             int NOT NULL,
  not_helpful           int NOT NULL,
  self_served           int NOT NULL,
  self_served_confirmed int NOT NULL,
  escalated             int NOT NULL,
  escalated_user        int NOT NULL,
  escalated_not_helpful int NOT NULL,
  escalated_no_answer   int NOT NULL,
  abandoned             int NOT NULL
);
CREATE INDEX report_rollup_questions_by_day ON report_rollup_questions (window_days, day);

-- Tickets opened that day, per language and channel.
CREATE TABLE report_rollup_tickets (
  window_days int NOT NULL,
  day         text NOT NULL,
  lang        text,
  channel     text,
  tickets     int NOT NULL
);
CREATE INDEX report_rollup_tickets_by_day ON report_rollup_tickets (window_days, day);

-- Which ticket first escalated the day's questions about each article: a
-- ticket counts once per article, tag or category however many it escalated.
CREATE TABLE report_rollup_links (
  window_days int NOT NULL,
  day         text NOT NULL,
  article     text,
  ticket      bigint NOT NULL
);
CREATE INDEX report_rollup_links_by_day ON report_rollup_links (window_days, day);
