-- Call detail records and the status-callback outbox.
-- Portable SQL: plain types only (VARCHAR, TEXT, INTEGER, BIGINT), no SQLite-only features, so
-- the same file runs on PostgreSQL when nodes share a database. Times are UTC milliseconds since
-- the Unix epoch (BIGINT); booleans are INTEGER 0/1.

CREATE TABLE calls (
    sid                     VARCHAR(34)  NOT NULL PRIMARY KEY,
    parent_sid              VARCHAR(34)  NULL,
    account_sid             VARCHAR(34)  NOT NULL,
    node_id                 INTEGER      NOT NULL,
    direction               VARCHAR(16)  NOT NULL,
    dialect                 VARCHAR(8)   NOT NULL,
    status                  VARCHAR(16)  NOT NULL,
    from_address            VARCHAR(512) NOT NULL,
    to_address              VARCHAR(512) NOT NULL,
    caller_id               VARCHAR(512) NULL,
    app_url                 TEXT         NULL,
    app_method              VARCHAR(8)   NOT NULL,
    fallback_url            TEXT         NULL,
    fallback_method         VARCHAR(8)   NOT NULL,
    twiml                   TEXT         NULL,
    send_digits             VARCHAR(256) NULL,
    timeout_seconds         INTEGER      NOT NULL,
    time_limit_seconds      INTEGER      NOT NULL,
    record_call             INTEGER      NOT NULL,
    status_callback         TEXT         NULL,
    status_callback_method  VARCHAR(8)   NOT NULL,
    status_callback_events  VARCHAR(64)  NOT NULL,
    callback_secret         TEXT         NULL,
    callback_optional       TEXT         NULL,
    created_at_ms           BIGINT       NOT NULL,
    updated_at_ms           BIGINT       NOT NULL,
    started_at_ms           BIGINT       NULL,
    answered_at_ms          BIGINT       NULL,
    ended_at_ms             BIGINT       NULL,
    sip_response_code       INTEGER      NULL,
    call_result             VARCHAR(16)  NULL,
    duration_seconds        INTEGER      NULL,
    recording_path          TEXT         NULL,
    recording_url           TEXT         NULL,
    error_code              VARCHAR(64)  NULL,
    error_message           TEXT         NULL,
    next_callback_sequence  INTEGER      NOT NULL
);

CREATE INDEX ix_calls_account_created ON calls (account_sid, created_at_ms);
CREATE INDEX ix_calls_node_status ON calls (node_id, status);
CREATE INDEX ix_calls_parent ON calls (parent_sid);

-- One row per status callback. The key is (call, sequence number): the per-call order is the key
-- order, and no database-specific auto-increment is needed.
CREATE TABLE callback_events (
    call_sid                VARCHAR(34)  NOT NULL,
    sequence_number         INTEGER      NOT NULL,
    account_sid             VARCHAR(34)  NOT NULL,
    event_name              VARCHAR(16)  NOT NULL,
    url                     TEXT         NOT NULL,
    method                  VARCHAR(8)   NOT NULL,
    body                    TEXT         NOT NULL,
    signature               VARCHAR(64)  NULL,
    state                   VARCHAR(16)  NOT NULL,
    attempts                INTEGER      NOT NULL,
    created_at_ms           BIGINT       NOT NULL,
    next_attempt_at_ms      BIGINT       NOT NULL,
    last_attempt_at_ms      BIGINT       NULL,
    last_status_code        INTEGER      NULL,
    last_error              TEXT         NULL,
    finished_at_ms          BIGINT       NULL,
    PRIMARY KEY (call_sid, sequence_number)
);

CREATE INDEX ix_callback_events_state ON callback_events (state, created_at_ms);
