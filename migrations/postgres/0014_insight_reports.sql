-- The articles and gaps reports in SQL (issue 15), with the definitions of
-- the in-process scan (core/reports/outcomes.ts, articles.ts, gaps.ts): what
-- they need of an event beyond the report columns of 0004 and the outcomes
-- of 0010 sits in JSON arrays and texts of `doc`, which a report over a month
-- of a busy help desk must not open. Two narrow tables, kept in step with
-- `events` by triggers on every insert, rewrite (an erasure) and removal.

-- The articles an event names, one row each:
--   0 displayed with a question, 4 suggested with a feedback (after a "No"),
--   1 answered with (question of action "answer"),
--   2 judged helpful, 3 judged not helpful (feedback).
CREATE TABLE report_article_events (
  seq             bigint NOT NULL,  -- the event's seq
  at              timestamptz NOT NULL,
  conversation_id text NOT NULL,
  role            smallint NOT NULL,
  article         text NOT NULL
);
CREATE INDEX report_article_events_by_at ON report_article_events (at) INCLUDE (role, article);
CREATE INDEX report_article_events_by_seq ON report_article_events (seq);
-- A ticket counts against the suggestions of a feedback on the question it escalates: found by conversation.
CREATE INDEX report_article_events_suggested ON report_article_events (conversation_id, at, seq) WHERE role = 4;

-- Each question's text and the engine's nearest article (ranked[0]) with its
-- confidence in thousandths, rounded as the scan rounds (Math.round).
CREATE TABLE report_question_texts (
  seq        bigint PRIMARY KEY,
  at         timestamptz NOT NULL,
  text       text NOT NULL,
  near       text,
  near_milli int NOT NULL
);
-- A report reads its period's texts, not every text the log holds.
CREATE INDEX report_question_texts_by_at ON report_question_texts (at);

CREATE FUNCTION report_insight_rows_add(added_seqs bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_article_events (seq, at, conversation_id, role, article)
  SELECT e.seq, e.at, e.conversation_id, CASE e.type WHEN 'question' THEN 0 ELSE 4 END, s.article
    FROM events e
    CROSS JOIN LATERAL (
      SELECT NULLIF(x->>'articleId', '') AS article
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.doc->'shown') = 'array' THEN e.doc->'shown' ELSE '[]' END) x) s
   WHERE e.seq = ANY(added_seqs) AND e.type IN ('question', 'feedback') AND s.article IS NOT NULL
  UNION ALL
  SELECT e.seq, e.at, e.conversation_id,
         CASE WHEN e.type = 'question' THEN 1 WHEN e.r_helpful THEN 2 ELSE 3 END, e.doc->>'articleId'
    FROM events e
   WHERE e.seq = ANY(added_seqs) AND NULLIF(e.doc->>'articleId', '') IS NOT NULL
     AND ((e.type = 'question' AND e.r_action = 0) OR e.type = 'feedback');
  INSERT INTO report_question_texts (seq, at, text, near, near_milli)
  SELECT e.seq, e.at, e.doc->>'question', NULLIF(e.doc->'ranked'->0->>'articleId', ''),
         CASE WHEN jsonb_typeof(e.doc->'ranked'->0->'confidence') = 'number'
              THEN floor((e.doc->'ranked'->0->>'confidence')::float8 * 1000 + 0.5)::int ELSE 0 END
    FROM events e
   WHERE e.seq = ANY(added_seqs) AND e.type = 'question' AND COALESCE(e.doc->>'question', '') <> '';
END $$;

CREATE FUNCTION report_insight_rows_remove(removed_seqs bigint[]) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_article_events WHERE seq = ANY(removed_seqs);
  DELETE FROM report_question_texts WHERE seq = ANY(removed_seqs);
END $$;

CREATE FUNCTION report_insight_rows_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    PERFORM report_insight_rows_remove(ARRAY(SELECT seq FROM old_rows WHERE type IN ('question', 'feedback')));
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    PERFORM report_insight_rows_add(ARRAY(SELECT seq FROM new_rows WHERE type IN ('question', 'feedback')));
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER events_insight_inserted AFTER INSERT ON events REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_insight_rows_kept();
CREATE TRIGGER events_insight_updated AFTER UPDATE ON events REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_insight_rows_kept();
CREATE TRIGGER events_insight_deleted AFTER DELETE ON events REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION report_insight_rows_kept();

-- Both tables from the whole log at once (this migration, and bulk loads that disable the triggers).
CREATE FUNCTION report_insight_rebuild() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE report_article_events, report_question_texts;
  INSERT INTO report_article_events (seq, at, conversation_id, role, article)
  SELECT e.seq, e.at, e.conversation_id, CASE e.type WHEN 'question' THEN 0 ELSE 4 END, s.article
    FROM events e
    CROSS JOIN LATERAL (
      SELECT NULLIF(x->>'articleId', '') AS article
        FROM jsonb_array_elements(CASE WHEN jsonb_typeof(e.doc->'shown') = 'array' THEN e.doc->'shown' ELSE '[]' END) x) s
   WHERE e.type IN ('question', 'feedback') AND s.article IS NOT NULL
  UNION ALL
  SELECT e.seq, e.at, e.conversation_id,
         CASE WHEN e.type = 'question' THEN 1 WHEN e.r_helpful THEN 2 ELSE 3 END, e.doc->>'articleId'
    FROM events e
   WHERE NULLIF(e.doc->>'articleId', '') IS NOT NULL AND ((e.type = 'question' AND e.r_action = 0) OR e.type = 'feedback');
  INSERT INTO report_question_texts (seq, at, text, near, near_milli)
  SELECT e.seq, e.at, e.doc->>'question', NULLIF(e.doc->'ranked'->0->>'articleId', ''),
         CASE WHEN jsonb_typeof(e.doc->'ranked'->0->'confidence') = 'number'
              THEN floor((e.doc->'ranked'->0->>'confidence')::float8 * 1000 + 0.5)::int ELSE 0 END
    FROM events e
   WHERE e.type = 'question' AND COALESCE(e.doc->>'question', '') <> '';
END $$;

SELECT report_insight_rebuild();
