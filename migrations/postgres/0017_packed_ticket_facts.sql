-- The tickets report (issue 18): a process's first report over the last
-- 180 days receives and parses every ticket's facts, ~55 MB of keyed JSON
-- for 140,000 tickets. Stored as positional arrays with times relative to
-- creation (core/storage/postgres/packedTicketFacts.ts), they are half that.
-- The facts stored before are packed here, once, in SQL: remaking them from
-- every ticket's document in the application (a TICKET_FACTS_VERSION bump)
-- takes each instance tens of seconds. The order below is packFacts' order;
-- a keyed row an older instance writes meanwhile is still read as it is.
-- Built as text, as JSON.stringify writes it (json keeps the text; its
-- builders would add a space after every comma); numbers as numeric: exact.
UPDATE ticket_facts t
   SET facts = concat_ws(',',
         '[' || (f -> 'id')::text,
         c::text,
         coalesce(((f ->> 'firstResponseMs')::numeric - c)::text, 'null'),
         coalesce(((f ->> 'solvedMs')::numeric - c)::text, 'null'),
         (f -> 'status')::text,
         (SELECT '[' || coalesce(string_agg(((h.e ->> 0)::numeric - c)::text || ',' || (h.e -> 1)::text, ',' ORDER BY h.n), '') || ']'
            FROM json_array_elements(f -> 'history') WITH ORDINALITY AS h(e, n)),
         (f -> 'publicReplies')::text,
         coalesce((f -> 'rating')::text, 'null'),
         coalesce((f -> 'priority')::text, 'null'),
         coalesce((f -> 'plan')::text, 'null'),
         (f -> 'keys' -> 'category')::text,
         (f -> 'keys' -> 'type')::text,
         (f -> 'keys' -> 'priority')::text,
         (f -> 'keys' -> 'team')::text,
         (f -> 'keys' -> 'channel')::text,
         (f -> 'keys' -> 'agent')::text || ']')::json
  FROM (SELECT id, facts AS f, (facts ->> 'createdMs')::numeric AS c
          FROM ticket_facts WHERE json_typeof(facts) = 'object') AS o
 WHERE t.id = o.id;
