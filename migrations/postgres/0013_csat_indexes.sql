-- The CSAT report in SQL (core/storage/postgres/csatSql.ts) at 10 M events:
-- without these it read the period's feedback rows from the events heap
-- (8 GB at 10 M events) and every ticket's document to find the ones solved
-- in the period.

-- The period's "did this help?" verdicts from the index alone, as
-- events_tickets_by_at (0010) does for the tickets opened.
CREATE INDEX events_feedback_by_at ON events (at) INCLUDE (r_article, r_channel, r_helpful) WHERE type = 'feedback';

-- The tickets solved in the period, compared as csatSql.ts compares them: as
-- text in byte order, as the in-process scan compares ISO strings.
CREATE INDEX tickets_by_solved_at ON tickets (((doc->>'solvedAt') COLLATE "C"));
