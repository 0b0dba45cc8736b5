-- Detection results. An alert's key is stable (rule + subject + period), so re-running
-- detection never duplicates it; analysts' work on alerts lives in append-only events.
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
    explanation_es VARCHAR,
    explanation_en VARCHAR,
    evidence VARCHAR,
    shadow BOOLEAN NOT NULL DEFAULT FALSE,
    run_id BIGINT,
    detected_at TIMESTAMP NOT NULL
);

CREATE TABLE operator_risk (
    run_id BIGINT NOT NULL,
    ruc VARCHAR NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    rank INTEGER NOT NULL,
    breakdown VARCHAR,
    computed_at TIMESTAMP NOT NULL
);
