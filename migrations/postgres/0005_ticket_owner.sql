-- Ticket lifecycle (issue 17): a verified widget or Teams user lists their own
-- tickets without a token (GET /api/my/tickets), so find them by that id
-- without reading every document. Messages, ratings and the follow-up token's
-- hash live in the document; the close job filters on status and updated_at,
-- which are columns already.
CREATE INDEX tickets_by_verified_user ON tickets ((doc->>'verifiedUserId'), created_at DESC)
  WHERE doc ? 'verifiedUserId';
