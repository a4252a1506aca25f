-- The partial index of unfinished calls, with a predicate that costs nothing to evaluate.
--
-- Its predicate was "status IN ('queued', 'initiated', 'ringing', 'in-progress')". SQLite evaluates
-- an IN list of more than two values through a temporary b-tree built for the statement, so every
-- UPDATE of a call built two of them (old row and new row), each with its own page cache: about
-- half the writer's time at a few hundred calls a second. A call is unfinished exactly while it has
-- no end time (CallService stamps ended_at_ms when, and only when, it reaches a final state), and
-- "IS NULL" is one comparison.
DROP INDEX ix_calls_unfinished;
CREATE INDEX ix_calls_unfinished ON calls (node_id, created_at_ms) WHERE ended_at_ms IS NULL;
