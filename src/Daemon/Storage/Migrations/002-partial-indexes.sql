-- Indexes that hold only the rows still in play, so that the writes of a call's life touch small,
-- hot index pages. Both are partial indexes, which PostgreSQL has too (CREATE INDEX ... WHERE).
--
-- The unfinished calls of a node are what a restart looks for (CallRecordStore.ListUnfinished).
-- Indexed on (node_id, status) every call stayed in the index forever and every state change
-- moved its entry; now a call leaves the index when it ends.
DROP INDEX ix_calls_node_status;
CREATE INDEX ix_calls_unfinished ON calls (node_id, created_at_ms) WHERE status IN ('queued', 'initiated', 'ringing', 'in-progress');

-- Pending callbacks are what the dispatcher resumes and counts at start; delivered ones leave.
DROP INDEX ix_callback_events_state;
CREATE INDEX ix_callback_events_pending ON callback_events (created_at_ms) WHERE state = 'pending';
