"""One router per area; each route names its operation id and who may call it."""
