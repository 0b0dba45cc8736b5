"""Ports: cargo manifests of vessel calls, container targeting, inspections and seizures
(issue 8; the Manifest Review Unit of the 2005 report, paras 16-17)."""
