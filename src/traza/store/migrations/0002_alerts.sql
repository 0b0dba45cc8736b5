-- Detection results. An alert's key is stable (rule + subject + period + detail), so
-- re-running detection never duplicates it: a finding seen again updates its figures and
-- keeps the day it was first detected. Analysts' work on alerts lives in append-only events.
CREATE SEQUENCE IF NOT EXISTS detection_run_seq START 1;

CREATE TABLE detection_runs (
    run_id BIGINT PRIMARY KEY,
    engine VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    rules_run INTEGER,
    findings INTEGER,
    alerts_new INTEGER
);

CREATE TABLE alerts (
    alert_id VARCHAR PRIMARY KEY,
    rule VARCHAR NOT NULL,
    rule_version INTEGER NOT NULL,
    severity VARCHAR NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    ruc VARCHAR NOT NULL,
    chemical VARCHAR,
    period_start DATE,
    period_end DATE,
    observed DOUBLE PRECISION,
    baseline DOUBLE PRECISION,
    detail VARCHAR,
    explanation_es VARCHAR,
    explanation_en VARCHAR,
    evidence VARCHAR,
    shadow BOOLEAN NOT NULL DEFAULT FALSE,
    run_id BIGINT,
    first_detected_at TIMESTAMP NOT NULL,
    detected_at TIMESTAMP NOT NULL,
    -- set when the latest run of the rule no longer finds it (data corrected, rule changed);
    -- cleared if a later run finds it again. Alerts are never deleted.
    retired_at TIMESTAMP
);

CREATE TABLE operator_risk (
    run_id BIGINT NOT NULL,
    ruc VARCHAR NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    rank INTEGER NOT NULL,
    breakdown VARCHAR,
    computed_at TIMESTAMP NOT NULL
);
