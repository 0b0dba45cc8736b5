-- The service (issue 5): staff accounts, operators' API keys, the audit log, sale checks, and
-- analysts' work on alerts and cases. Everything here is appended, never updated (docs/principles.md,
-- principle 2): the current state of a user, an alert or a case is a view over its rows, and
-- every row points at the audit event that made it.
CREATE SEQUENCE IF NOT EXISTS event_id_seq START 1;
CREATE SEQUENCE IF NOT EXISTS case_id_seq START 1;

-- The audit log: who did what to which subject, when. No endpoint updates or deletes it;
-- on PostgreSQL a trigger refuses UPDATE, DELETE and TRUNCATE (0003_service.postgres.sql).
CREATE TABLE events (
    event_id BIGINT PRIMARY KEY,
    recorded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    subject_type VARCHAR NOT NULL,
    subject_id VARCHAR NOT NULL,
    payload VARCHAR NOT NULL
);

CREATE TABLE staff_user_versions (
    event_id BIGINT PRIMARY KEY,
    username VARCHAR NOT NULL,
    full_name VARCHAR,
    role VARCHAR NOT NULL,
    password_hash VARCHAR NOT NULL,
    active BOOLEAN NOT NULL,
    recorded_at TIMESTAMP NOT NULL
);

CREATE VIEW staff_users AS
SELECT v.* FROM staff_user_versions v
JOIN (SELECT username, max(event_id) AS event_id FROM staff_user_versions GROUP BY username) latest
  ON latest.event_id = v.event_id;

-- An API key is shown once; only the SHA-256 of its secret part is kept (the secret is 32
-- random bytes, so a slow password hash would add nothing but latency to every request).
CREATE TABLE api_keys (
    key_id VARCHAR PRIMARY KEY,
    ruc VARCHAR NOT NULL,
    label VARCHAR,
    secret_hash VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL,
    created_by VARCHAR NOT NULL,
    event_id BIGINT NOT NULL
);

CREATE TABLE api_key_revocations (
    key_id VARCHAR PRIMARY KEY,
    revoked_at TIMESTAMP NOT NULL,
    revoked_by VARCHAR NOT NULL,
    event_id BIGINT NOT NULL
);

-- Every sale check asked, with its answer: a check never followed by a declared sale, or a
-- block followed by one, is evidence for detection (view sale_check_followups).
CREATE TABLE sale_checks (
    check_id VARCHAR NOT NULL,
    checked_at TIMESTAMP NOT NULL,
    key_id VARCHAR,
    seller_ruc VARCHAR NOT NULL,
    seller_establishment VARCHAR,
    buyer_ruc VARCHAR NOT NULL,
    buyer_establishment VARCHAR,
    destination_ubigeo VARCHAR,
    zone VARCHAR,
    chemical VARCHAR NOT NULL,
    quantity DOUBLE PRECISION NOT NULL,
    unit VARCHAR NOT NULL,
    quantity_kg DOUBLE PRECISION NOT NULL,
    decision VARCHAR NOT NULL,
    reasons VARCHAR NOT NULL,
    quota_remaining_kg DOUBLE PRECISION
);

-- Analysts' actions on alerts: assign, close (awaits a supervisor), approve_close,
-- reject_close, reopen. value holds the assignee or the outcome.
CREATE TABLE alert_log (
    event_id BIGINT PRIMARY KEY,
    alert_id VARCHAR NOT NULL,
    action VARCHAR NOT NULL,
    value VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL
);

-- Snoozing an operator hides its alerts from the queue until a day; a later row replaces it.
CREATE TABLE snoozes (
    event_id BIGINT PRIMARY KEY,
    ruc VARCHAR NOT NULL,
    until DATE NOT NULL,
    reason VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL
);

-- Cases: open (value: title), status (value: new status), assign, add_alert, remove_alert,
-- note, refer (value: police | inspection).
CREATE TABLE case_log (
    event_id BIGINT PRIMARY KEY,
    case_id BIGINT NOT NULL,
    action VARCHAR NOT NULL,
    value VARCHAR,
    recorded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL
);

-- Supervisors switch a rule between live and shadow; the latest row per rule wins.
CREATE TABLE rule_modes (
    event_id BIGINT PRIMARY KEY,
    rule_id VARCHAR NOT NULL,
    shadow BOOLEAN NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    actor VARCHAR NOT NULL
);

CREATE VIEW alert_state AS
WITH s AS (
    SELECT alert_id, action, value, recorded_at,
           row_number() OVER (PARTITION BY alert_id ORDER BY event_id DESC) AS rn
    FROM alert_log WHERE action IN ('close', 'approve_close', 'reject_close', 'reopen')
), a AS (
    SELECT alert_id, value AS assignee,
           row_number() OVER (PARTITION BY alert_id ORDER BY event_id DESC) AS rn
    FROM alert_log WHERE action = 'assign'
)
SELECT al.alert_id, a.assignee,
       CASE s.action WHEN 'close' THEN 'pending_approval' WHEN 'approve_close' THEN 'closed'
            ELSE 'open' END AS status,
       CASE WHEN s.action IN ('close', 'approve_close') THEN s.value END AS outcome,
       CASE WHEN s.action = 'approve_close' THEN s.recorded_at END AS closed_at
FROM alerts al
LEFT JOIN s ON s.alert_id = al.alert_id AND s.rn = 1
LEFT JOIN a ON a.alert_id = al.alert_id AND a.rn = 1;

CREATE VIEW current_snoozes AS
SELECT v.ruc, v.until, v.reason, v.recorded_at, v.actor FROM snoozes v
JOIN (SELECT ruc, max(event_id) AS event_id FROM snoozes GROUP BY ruc) latest
  ON latest.event_id = v.event_id;

CREATE VIEW case_state AS
WITH o AS (
    SELECT case_id, value AS title, recorded_at AS opened_at, actor AS opened_by FROM case_log WHERE action = 'open'
), st AS (
    SELECT case_id, value AS status, recorded_at,
           row_number() OVER (PARTITION BY case_id ORDER BY event_id DESC) AS rn
    FROM case_log WHERE action = 'status'
), asg AS (
    SELECT case_id, value AS assignee,
           row_number() OVER (PARTITION BY case_id ORDER BY event_id DESC) AS rn
    FROM case_log WHERE action = 'assign'
), ref AS (
    SELECT case_id, value AS referral,
           row_number() OVER (PARTITION BY case_id ORDER BY event_id DESC) AS rn
    FROM case_log WHERE action = 'refer'
), upd AS (SELECT case_id, max(recorded_at) AS updated_at FROM case_log GROUP BY case_id)
SELECT o.case_id, o.title, coalesce(st.status, 'open') AS status, asg.assignee, ref.referral,
       o.opened_at, o.opened_by, upd.updated_at
FROM o
LEFT JOIN st ON st.case_id = o.case_id AND st.rn = 1
LEFT JOIN asg ON asg.case_id = o.case_id AND asg.rn = 1
LEFT JOIN ref ON ref.case_id = o.case_id AND ref.rn = 1
LEFT JOIN upd ON upd.case_id = o.case_id;

CREATE VIEW case_alerts AS
SELECT case_id, alert_id FROM (
    SELECT case_id, value AS alert_id, action,
           row_number() OVER (PARTITION BY case_id, value ORDER BY event_id DESC) AS rn
    FROM case_log WHERE action IN ('add_alert', 'remove_alert')
) x WHERE rn = 1 AND action = 'add_alert';

CREATE VIEW current_rule_modes AS
SELECT v.rule_id, v.shadow, v.recorded_at, v.actor FROM rule_modes v
JOIN (SELECT rule_id, max(event_id) AS event_id FROM rule_modes GROUP BY rule_id) latest
  ON latest.event_id = v.event_id;

-- For detection: each check with the first sale the seller declared to the same buyer, of the
-- same chemical, within 30 days after it (NULL: no sale followed).
CREATE VIEW sale_check_followups AS
SELECT c.check_id, c.checked_at, c.seller_ruc, c.buyer_ruc, c.chemical, c.quantity_kg, c.decision,
       min(m.movement_id) AS sale_movement_id, min(m.date) AS sale_date
FROM sale_checks c
LEFT JOIN movements m
  ON m.declarant_ruc = c.seller_ruc AND m.type = 'sale' AND m.counterparty_ruc = c.buyer_ruc
 AND m.chemical = c.chemical
 AND m.date >= CAST(c.checked_at AS DATE) AND m.date <= CAST(c.checked_at AS DATE) + INTERVAL 30 DAY
GROUP BY c.check_id, c.checked_at, c.seller_ruc, c.buyer_ruc, c.chemical, c.quantity_kg, c.decision;
