"""Field operations (issue 9): eradication, coca plots and seedbeds, CADA measurements, ENACO
certificates, incidents, seizures and labs; their checks, tallies and the link to chemical
control (districts with fresh coca weigh more in detection)."""
