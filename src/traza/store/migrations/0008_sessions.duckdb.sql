CREATE INDEX sessions_principal ON sessions (kind, principal)
