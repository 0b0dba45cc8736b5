-- Cases hold their investigation. A status change keeps its note (why closure is asked for,
-- the approval's note, the reason a request is sent back) and a referral its note, where
-- before they were only in the audit log's payload; asking for closure and approving it
-- carry the case's outcome (core/vocab.py CASE_OUTCOMES), which case_state shows. Rows
-- written before this have neither column (their notes stay in the audit log).
ALTER TABLE case_log ADD COLUMN note VARCHAR;
ALTER TABLE case_log ADD COLUMN outcome VARCHAR;

-- As 0003's, with the outcome of the latest status change last (PostgreSQL's CREATE OR
-- REPLACE VIEW only adds columns at the end): the proposed outcome while closure is
-- requested, the case's outcome once closed, none after it is sent back or reopened.
CREATE OR REPLACE VIEW case_state AS
WITH o AS (
    SELECT case_id, value AS title, recorded_at AS opened_at, actor AS opened_by FROM case_log WHERE action = 'open'
), st AS (
    SELECT case_id, value AS status, outcome, recorded_at,
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
       o.opened_at, o.opened_by, upd.updated_at, st.outcome
FROM o
LEFT JOIN st ON st.case_id = o.case_id AND st.rn = 1
LEFT JOIN asg ON asg.case_id = o.case_id AND asg.rn = 1
LEFT JOIN ref ON ref.case_id = o.case_id AND ref.rn = 1
LEFT JOIN upd ON upd.case_id = o.case_id;
