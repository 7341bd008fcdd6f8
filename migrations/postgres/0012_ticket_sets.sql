-- Tickets per tag and category over long periods (issue 15). A ticket counts
-- once per tag however many questions about the tag's articles it escalated,
-- so a report counted the distinct (tag, ticket) pairs of its period: a year
-- of (article, ticket) links fanned out over the articles' tags, hashed on
-- every report (16 s over 10 M events). Tag membership comes from the KB and
-- changes with it, so nothing here is per tag: a ticket whose escalated
-- questions all lie on one day is rolled up on that day as the set of
-- articles it reached, counted per set — a few hundred rows a day, and a
-- report gives each set's tickets once to each tag of its articles. Only
-- tickets reaching questions on several days keep their (article, ticket)
-- links in report_rollup_links, counted distinct as before.
CREATE TABLE report_rollup_ticket_sets (
  window_days int NOT NULL,
  day         text NOT NULL,
  articles    text[] NOT NULL,  -- sorted, distinct; NULL for questions about no article
  tickets     int NOT NULL
);
CREATE INDEX report_rollup_ticket_sets_by_day ON report_rollup_ticket_sets (window_days, day);

-- Whether a ticket's questions lie on one day depends on other days than the
-- rollup's own: when a ticket comes to escalate a question it did not (a late
-- or imported question, a rewrite that moves an identity key) or one of its
-- questions changes article, the days of its other questions are bumped too,
-- at the reach of their own link, so their rollups are rebuilt. (Losing a
-- question needs nothing: a ticket kept as links is counted right wherever
-- its questions are. A new ticket needs nothing either: all its questions
-- change in one statement, and each bumps its own day.) Plain inserts rather
-- than an upsert into outcome_day_versions: appends racing on other days'
-- version rows deadlock, and these rows are rare.
CREATE TABLE outcome_spread_versions (
  day        text NOT NULL,
  reach_days int NOT NULL,
  version    bigint NOT NULL
);
CREATE INDEX outcome_spread_versions_by_day ON outcome_spread_versions (day, reach_days);

CREATE FUNCTION outcome_spread_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outcome_spread_versions (day, reach_days, version)
    SELECT day, reach, nextval('event_day_version') FROM (
      SELECT DISTINCT q.day, floor(extract(epoch FROM q.ticket_at - q.at) / 86400)::int AS reach
        FROM old_rows o JOIN new_rows n ON n.seq = o.seq
        JOIN question_outcomes q ON q.ticket = n.ticket AND q.day <> n.day
       WHERE (o.ticket, o.article) IS DISTINCT FROM (n.ticket, n.article)
         AND NOT EXISTS (SELECT 1 FROM new_rows m WHERE m.seq = q.seq)) c;
  RETURN NULL;
END $$;

CREATE TRIGGER question_outcomes_spread AFTER UPDATE ON question_outcomes
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outcome_spread_bump();

-- Rollups built before this migration hold every link and no sets: rebuilt on next need.
TRUNCATE report_rollup_days, report_rollup_questions, report_rollup_tickets, report_rollup_links;
