-- Sessions that can be ended, and login throttling that holds under parallel requests
-- (issue 16, findings 2 and 3).
--
-- A staff token and a web session cookie each carry a random session id; only its SHA-256 is
-- kept here (a copy of this table opens nothing). Every request looks its session up by that
-- hash: a session with an end, past its expiry, or opened with an account version or API key
-- that is no longer current, is nobody. Both tables are appended, never updated.
CREATE TABLE sessions (
    session_hash VARCHAR PRIMARY KEY,
    kind VARCHAR NOT NULL,        -- 'staff' or 'operator'
    principal VARCHAR NOT NULL,   -- the username, or the operator's RUC
    credential VARCHAR NOT NULL,  -- the account version (staff) or the API key id (operator) it was opened with
    channel VARCHAR NOT NULL,     -- 'api' (a bearer token) or 'web' (a cookie)
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);

-- Logout, a changed or deactivated account: one row per session ended (never a second one).
CREATE TABLE session_ends (
    session_hash VARCHAR PRIMARY KEY,
    ended_at TIMESTAMP NOT NULL,
    reason VARCHAR NOT NULL
);

-- Login attempts per name ('user:...') and per client address ('client:...'). An attempt is
-- counted by the same statement that decides whether it may be checked at all (an UPSERT
-- returning the count), so parallel attempts cannot all pass a check made before any of them
-- was recorded. The audit log still holds every attempt checked (auth.login, auth.login_failed).
CREATE TABLE login_throttle (
    scope VARCHAR PRIMARY KEY,
    attempts INTEGER NOT NULL,      -- counted since window_start: failures, and attempts in flight
    window_start TIMESTAMP NOT NULL,
    last_at TIMESTAMP NOT NULL      -- the last attempt admitted: a lock runs from here
);
