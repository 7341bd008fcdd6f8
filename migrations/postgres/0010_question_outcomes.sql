-- Each question's outcome kept current as events are appended (issue 15), so
-- a deflection report sums counts instead of replaying events: 0004 settled
-- the days still within the window from raw events on every report (seconds
-- over a busy week). The definitions are those of core/reports/outcomes.ts:
--
-- - feedback belongs to the last question asked before it in its
--   conversation (time order, ties by append order);
-- - a question is escalated by the first ticket after it from its
--   conversation or a shared identity key (user id, folded e-mail).
--
-- Neither depends on the window a report asks for (0–365 days): the table
-- keeps *when* the first "Yes", the first "No" and the first ticket came, and
-- a report compares those times with its window.

CREATE TABLE question_outcomes (
  seq             bigint PRIMARY KEY,  -- the question event's seq
  at              timestamptz NOT NULL,
  day             text NOT NULL,
  conversation_id text NOT NULL,
  uid             text,
  email           text,
  lang            text,
  channel         text,
  article         text,
  answered        boolean NOT NULL,
  suggested       boolean NOT NULL,
  yes_at          timestamptz,         -- the first "Yes" that belongs to it
  no_at           timestamptz,         -- the first "No"
  ticket          bigint,              -- seq of the first ticket after it, at most 365 days later
  ticket_at       timestamptz,
  reason          smallint             -- that ticket's r_reason
);
CREATE INDEX question_outcomes_by_at ON question_outcomes (at);
CREATE INDEX question_outcomes_by_conversation ON question_outcomes (conversation_id, at, seq);
CREATE INDEX question_outcomes_by_uid ON question_outcomes (uid, at) WHERE uid IS NOT NULL;
CREATE INDEX question_outcomes_by_email ON question_outcomes (email, at) WHERE email IS NOT NULL;
CREATE INDEX question_outcomes_by_ticket ON question_outcomes (ticket) WHERE ticket IS NOT NULL;
-- A new question looks for tickets after it by each of its keys (imports bring past events).
CREATE INDEX events_tickets_by_uid ON events (r_uid, at) WHERE type = 'ticket' AND r_uid IS NOT NULL;
CREATE INDEX events_tickets_by_email ON events (r_email, at) WHERE type = 'ticket' AND r_email IS NOT NULL;
-- A report counts the tickets opened on the open days from the index alone, not from the 8 GB of events.
CREATE INDEX events_tickets_by_at ON events (at) INCLUDE (day, r_lang, r_channel) WHERE type = 'ticket';

-- A change to an outcome bumps its day's version, per "reach": the fewest
-- whole days after the question the change lies (0 for a question added,
-- removed or re-described). A rollup for a window of W days is stale only
-- when a version with reach ≤ W moved: a ticket today reaching a question
-- 40 days old leaves last month's 7-day rollups alone.
CREATE TABLE outcome_day_versions (
  day        text NOT NULL,
  reach_days int NOT NULL,
  version    bigint NOT NULL,
  PRIMARY KEY (day, reach_days)
);

CREATE FUNCTION outcome_versions_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    INSERT INTO outcome_day_versions (day, reach_days, version)
      SELECT day, reach, nextval('event_day_version') FROM (
        SELECT DISTINCT n.day, CASE
          WHEN (o.day, o.lang, o.channel, o.article, o.answered, o.suggested)
               IS DISTINCT FROM (n.day, n.lang, n.channel, n.article, n.answered, n.suggested) THEN 0
          ELSE floor(extract(epoch FROM least(
                 CASE WHEN o.yes_at IS DISTINCT FROM n.yes_at THEN least(o.yes_at, n.yes_at) END,
                 CASE WHEN o.no_at IS DISTINCT FROM n.no_at THEN least(o.no_at, n.no_at) END,
                 CASE WHEN (o.ticket, o.ticket_at, o.reason) IS DISTINCT FROM (n.ticket, n.ticket_at, n.reason)
                      THEN least(o.ticket_at, n.ticket_at) END) - n.at) / 86400)::int
          END AS reach
          FROM old_rows o JOIN new_rows n ON n.seq = o.seq) c
       WHERE reach IS NOT NULL
       ORDER BY day, reach
    ON CONFLICT (day, reach_days) DO UPDATE SET version = EXCLUDED.version;
  ELSIF TG_OP = 'INSERT' THEN
    INSERT INTO outcome_day_versions (day, reach_days, version)
      SELECT day, 0, nextval('event_day_version') FROM (SELECT DISTINCT day FROM new_rows ORDER BY day) d
    ON CONFLICT (day, reach_days) DO UPDATE SET version = EXCLUDED.version;
  ELSE
    INSERT INTO outcome_day_versions (day, reach_days, version)
      SELECT day, 0, nextval('event_day_version') FROM (SELECT DISTINCT day FROM old_rows ORDER BY day) d
    ON CONFLICT (day, reach_days) DO UPDATE SET version = EXCLUDED.version;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER question_outcomes_inserted AFTER INSERT ON question_outcomes REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_versions_bump();
CREATE TRIGGER question_outcomes_updated AFTER UPDATE ON question_outcomes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_versions_bump();
CREATE TRIGGER question_outcomes_deleted AFTER DELETE ON question_outcomes REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcome_versions_bump();

-- Recompute the verdicts of these questions from the events: the feedback
-- after each one and before the next question of its conversation. (PL/pgSQL
-- rather than SQL here and below: it keeps the plans of its statements for
-- the session, where a SQL function is planned again on every append.)
CREATE FUNCTION outcomes_settle_verdicts(qs bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(qs) = 0 THEN RETURN; END IF;
  UPDATE question_outcomes o SET yes_at = v.yes_at, no_at = v.no_at
    FROM (SELECT q.seq, min(f.at) FILTER (WHERE f.r_helpful) AS yes_at,
                 min(f.at) FILTER (WHERE NOT f.r_helpful) AS no_at
            FROM question_outcomes q
            LEFT JOIN LATERAL (
              SELECT n.at, n.seq FROM question_outcomes n
               WHERE n.conversation_id = q.conversation_id AND (n.at, n.seq) > (q.at, q.seq)
               ORDER BY n.at, n.seq LIMIT 1) nx ON true
            LEFT JOIN events f ON f.conversation_id = q.conversation_id AND f.type = 'feedback'
                  AND (f.at, f.seq) > (q.at, q.seq) AND (nx.seq IS NULL OR (f.at, f.seq) < (nx.at, nx.seq))
           WHERE q.seq = ANY(qs)
           GROUP BY q.seq) v
   WHERE o.seq = v.seq AND (o.yes_at, o.no_at) IS DISTINCT FROM (v.yes_at, v.no_at);
END $$;

-- Recompute the first ticket of these questions from the events.
CREATE FUNCTION outcomes_settle_tickets(qs bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF cardinality(qs) = 0 THEN RETURN; END IF;
  UPDATE question_outcomes o SET ticket = t.seq, ticket_at = t.at, reason = t.r_reason
    FROM question_outcomes q
    LEFT JOIN LATERAL (
      SELECT x.seq, x.at, x.r_reason FROM (
        SELECT e.seq, e.at, e.r_reason FROM events e WHERE e.type = 'ticket' AND e.conversation_id = q.conversation_id
        UNION ALL
        SELECT e.seq, e.at, e.r_reason FROM events e WHERE e.type = 'ticket' AND e.r_uid = q.uid
        UNION ALL
        SELECT e.seq, e.at, e.r_reason FROM events e WHERE e.type = 'ticket' AND e.r_email = q.email
      ) x
       WHERE (x.at, x.seq) > (q.at, q.seq) AND x.at <= q.at + interval '8760 hours'
       ORDER BY x.at, x.seq LIMIT 1) t ON true
   WHERE o.seq = q.seq AND q.seq = ANY(qs)
     AND (o.ticket, o.ticket_at, o.reason) IS DISTINCT FROM (t.seq, t.at, t.r_reason);
END $$;

-- The questions a ticket can escalate: its conversation's and its person's, at most 365 days before it.
CREATE FUNCTION outcomes_reached_by(tickets bigint[]) RETURNS TABLE (question bigint, ticket bigint, at timestamptz,
  reason smallint) LANGUAGE plpgsql STABLE AS $$
BEGIN
  RETURN QUERY
  SELECT q.seq, t.seq, t.at, t.r_reason
    FROM events t JOIN question_outcomes q ON q.conversation_id = t.conversation_id
   WHERE t.seq = ANY(tickets) AND (q.at, q.seq) < (t.at, t.seq) AND q.at >= t.at - interval '8760 hours'
  UNION ALL
  SELECT q.seq, t.seq, t.at, t.r_reason
    FROM events t JOIN question_outcomes q ON q.uid = t.r_uid
   WHERE t.seq = ANY(tickets) AND (q.at, q.seq) < (t.at, t.seq) AND q.at >= t.at - interval '8760 hours'
  UNION ALL
  SELECT q.seq, t.seq, t.at, t.r_reason
    FROM events t JOIN question_outcomes q ON q.email = t.r_email
   WHERE t.seq = ANY(tickets) AND (q.at, q.seq) < (t.at, t.seq) AND q.at >= t.at - interval '8760 hours';
END $$;

-- Appends of different conversations and people run side by side; two that
-- can touch the same question (same conversation, user id or e-mail) take
-- turns, in key order, and the second settles after the first committed, so
-- neither computes from a snapshot that misses the other's event. Rewrites
-- and removals (erasure, retention, rare) take the shared lock exclusively.
CREATE FUNCTION outcomes_lock(keys text[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE k int;
BEGIN
  PERFORM pg_advisory_xact_lock_shared(233774794, 0);
  FOR k IN SELECT DISTINCT hashtext(x) FROM unnest(keys) x WHERE x IS NOT NULL ORDER BY 1 LOOP
    PERFORM pg_advisory_xact_lock(233774793, k);
  END LOOP;
END $$;

CREATE FUNCTION outcomes_after_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  questions boolean := EXISTS (SELECT 1 FROM added WHERE type = 'question');
  feedback boolean := EXISTS (SELECT 1 FROM added WHERE type = 'feedback');
  tickets boolean := EXISTS (SELECT 1 FROM added WHERE type = 'ticket');
BEGIN
  IF NOT (questions OR feedback OR tickets) THEN RETURN NULL; END IF;
  PERFORM outcomes_lock(ARRAY(
    SELECT k FROM added, LATERAL (VALUES ('c' || conversation_id), ('i' || r_uid), ('e' || r_email)) AS v(k)
     WHERE type IN ('question', 'feedback', 'ticket')));
  IF questions THEN
    INSERT INTO question_outcomes (seq, at, day, conversation_id, uid, email, lang, channel, article, answered, suggested)
      SELECT seq, at, day, conversation_id, r_uid, r_email, r_lang, r_channel, r_article, r_action = 0,
             r_action <> 0 AND r_shown > 0
        FROM added WHERE type = 'question';
  END IF;
  IF questions OR feedback THEN
    -- A new question takes the feedback after it from the question before it; new feedback goes to the question before it.
    PERFORM outcomes_settle_verdicts(ARRAY(
      SELECT seq FROM added WHERE type = 'question'
      UNION
      SELECT p.seq FROM added a CROSS JOIN LATERAL (
        SELECT n.seq FROM question_outcomes n
         WHERE n.conversation_id = a.conversation_id AND (n.at, n.seq) < (a.at, a.seq)
         ORDER BY n.at DESC, n.seq DESC LIMIT 1) p
       WHERE a.type IN ('question', 'feedback')));
  END IF;
  IF questions THEN
    -- An imported question may have tickets after it already.
    PERFORM outcomes_settle_tickets(ARRAY(SELECT seq FROM added WHERE type = 'question'));
  END IF;
  IF tickets THEN
    -- A new ticket escalates the questions it reaches that no earlier ticket did. Written as "earlier than what the
    -- row holds", rechecked on the row's latest version, so two tickets reaching one question through different
    -- keys (not serialised by outcomes_lock) both count and the first one wins.
    UPDATE question_outcomes o SET ticket = r.ticket, ticket_at = r.at, reason = r.reason
      FROM (SELECT DISTINCT ON (question) * FROM outcomes_reached_by(ARRAY(SELECT seq FROM added WHERE type = 'ticket'))
             ORDER BY question, at, ticket) r
     WHERE o.seq = r.question AND (o.ticket IS NULL OR (r.at, r.ticket) < (o.ticket_at, o.ticket));
  END IF;
  RETURN NULL;
END $$;

CREATE FUNCTION outcomes_after_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM removed WHERE type IN ('question', 'feedback', 'ticket')) THEN RETURN NULL; END IF;
  PERFORM pg_advisory_xact_lock(233774794, 0);
  DELETE FROM question_outcomes o USING removed r WHERE o.seq = r.seq AND r.type = 'question';
  PERFORM outcomes_settle_verdicts(ARRAY(
    SELECT q.seq FROM question_outcomes q
     WHERE q.conversation_id IN (SELECT conversation_id FROM removed WHERE type IN ('question', 'feedback'))));
  PERFORM outcomes_settle_tickets(ARRAY(
    SELECT q.seq FROM question_outcomes q JOIN removed r ON q.ticket = r.seq WHERE r.type = 'ticket'));
  RETURN NULL;
END $$;

-- A rewrite (erasure) may change a conversation, an identity key, a verdict or a reason.
CREATE FUNCTION outcomes_after_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  CREATE TEMP TABLE IF NOT EXISTS outcomes_changed (seq bigint, type text, conversation_id text, old_conversation text,
    keys_changed boolean) ON COMMIT DROP;
  TRUNCATE outcomes_changed;
  INSERT INTO outcomes_changed
    SELECT a.seq, a.type, a.conversation_id, b.conversation_id,
           (a.conversation_id, a.r_uid, a.r_email) IS DISTINCT FROM (b.conversation_id, b.r_uid, b.r_email)
      FROM after_rows a JOIN before_rows b ON b.seq = a.seq
     WHERE a.type IN ('question', 'feedback', 'ticket')
       AND (a.conversation_id, a.r_uid, a.r_email, a.r_lang, a.r_channel, a.r_article, a.r_action, a.r_shown,
            a.r_helpful, a.r_reason)
           IS DISTINCT FROM (b.conversation_id, b.r_uid, b.r_email, b.r_lang, b.r_channel, b.r_article, b.r_action,
            b.r_shown, b.r_helpful, b.r_reason);
  IF NOT EXISTS (SELECT 1 FROM outcomes_changed) THEN RETURN NULL; END IF;
  PERFORM pg_advisory_xact_lock(233774794, 0);
  UPDATE question_outcomes o
     SET conversation_id = a.conversation_id, uid = a.r_uid, email = a.r_email, lang = a.r_lang,
         channel = a.r_channel, article = a.r_article, answered = a.r_action = 0,
         suggested = a.r_action <> 0 AND a.r_shown > 0
    FROM after_rows a JOIN outcomes_changed c ON c.seq = a.seq
   WHERE o.seq = a.seq AND a.type = 'question';
  PERFORM outcomes_settle_verdicts(ARRAY(
    SELECT q.seq FROM question_outcomes q
     WHERE q.conversation_id IN (SELECT conversation_id FROM outcomes_changed WHERE type IN ('question', 'feedback')
                                 UNION SELECT old_conversation FROM outcomes_changed WHERE type IN ('question', 'feedback'))));
  PERFORM outcomes_settle_tickets(ARRAY(
    SELECT seq FROM outcomes_changed WHERE type = 'question' AND keys_changed
    UNION SELECT q.seq FROM question_outcomes q JOIN outcomes_changed c ON q.ticket = c.seq WHERE c.type = 'ticket'
    UNION SELECT question FROM outcomes_reached_by(ARRAY(SELECT seq FROM outcomes_changed WHERE type = 'ticket'))));
  RETURN NULL;
END $$;

CREATE TRIGGER events_outcomes_inserted AFTER INSERT ON events REFERENCING NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION outcomes_after_insert();
CREATE TRIGGER events_outcomes_deleted AFTER DELETE ON events REFERENCING OLD TABLE AS removed
  FOR EACH STATEMENT EXECUTE FUNCTION outcomes_after_delete();
CREATE TRIGGER events_outcomes_updated AFTER UPDATE ON events REFERENCING OLD TABLE AS before_rows NEW TABLE AS after_rows
  FOR EACH STATEMENT EXECUTE FUNCTION outcomes_after_update();

-- Every question's outcome from the events already there, in a few set-wide
-- statements (this migration over an existing log; a bulk load with the
-- triggers off). The same definitions as the triggers.
CREATE FUNCTION question_outcomes_rebuild() RETURNS void LANGUAGE sql SET work_mem = '256MB' AS $$
  TRUNCATE question_outcomes;
  WITH steps AS MATERIALIZED (
    SELECT seq, at, type, conversation_id, r_helpful,
           count(*) FILTER (WHERE type = 'question')
             OVER (PARTITION BY conversation_id COLLATE "C" ORDER BY at, seq) AS nth
      FROM events WHERE type IN ('question', 'feedback')
  ), verdicts AS (
    SELECT q.seq, min(f.at) FILTER (WHERE f.r_helpful) AS yes_at, min(f.at) FILTER (WHERE NOT f.r_helpful) AS no_at
      FROM steps q JOIN steps f ON f.type = 'feedback' AND f.conversation_id = q.conversation_id AND f.nth = q.nth
     WHERE q.type = 'question'
     GROUP BY q.seq
  ), keyed AS MATERIALIZED (
    SELECT seq, at, type, r_reason, 'c' || conversation_id AS k FROM events WHERE type IN ('question', 'ticket')
    UNION ALL SELECT seq, at, type, r_reason, 'i' || r_uid FROM events
     WHERE type IN ('question', 'ticket') AND r_uid IS NOT NULL
    UNION ALL SELECT seq, at, type, r_reason, 'e' || r_email FROM events
     WHERE type IN ('question', 'ticket') AND r_email IS NOT NULL
  ), first_ticket AS (
    SELECT DISTINCT ON (qk.seq) qk.seq, tk.seq AS ticket, tk.at, tk.r_reason AS reason
      FROM keyed qk JOIN keyed tk ON tk.k COLLATE "C" = qk.k AND tk.type = 'ticket' AND (tk.at, tk.seq) > (qk.at, qk.seq)
                                 AND tk.at <= qk.at + interval '8760 hours'
     WHERE qk.type = 'question'
     ORDER BY qk.seq, tk.at, tk.seq
  )
  INSERT INTO question_outcomes
  SELECT e.seq, e.at, e.day, e.conversation_id, e.r_uid, e.r_email, e.r_lang, e.r_channel, e.r_article,
         e.r_action = 0, e.r_action <> 0 AND e.r_shown > 0, v.yes_at, v.no_at, t.ticket, t.at, t.reason
    FROM events e LEFT JOIN verdicts v ON v.seq = e.seq LEFT JOIN first_ticket t ON t.seq = e.seq
   WHERE e.type = 'question';
$$;

SELECT question_outcomes_rebuild();

-- The questions asked in [from_at, to_at) as a report with a window of
-- window_ms sees them: the shape report_settle (0004) had, read from the
-- table instead of replayed from events.
CREATE FUNCTION report_outcomes(from_at timestamptz, to_at timestamptz, window_ms bigint)
RETURNS TABLE (day text, at timestamptz, lang text, channel text, article text, answered boolean,
               suggested boolean, confirmed boolean, not_helpful boolean, ticket bigint, reason smallint)
LANGUAGE sql STABLE AS $$
  SELECT day, at, lang, channel, article, answered, suggested,
         COALESCE(yes_at <= at + window_ms * interval '1 millisecond', false),
         COALESCE(no_at <= at + window_ms * interval '1 millisecond', false),
         CASE WHEN ticket_at <= at + window_ms * interval '1 millisecond' THEN ticket END,
         CASE WHEN ticket_at <= at + window_ms * interval '1 millisecond' THEN reason END
    FROM question_outcomes WHERE at >= from_at AND at < to_at
$$;

DROP FUNCTION report_settle(timestamptz, timestamptz, bigint);

-- Rollups now depend on their own day's versions only (events of the day for
-- the tickets opened, outcome versions within reach): rebuilt on next need.
TRUNCATE report_rollup_days, report_rollup_questions, report_rollup_tickets, report_rollup_links;
