"""The monthly program report (issue 10): figures computed from the database, each with the
query behind it and a link to its records in the web UI, rendered as HTML, Markdown or PDF.

``build_report`` runs the sections (one module each under ``sections/``); the renderers
(``html``, ``markdown``, ``pdf``) only lay out what the sections return.
"""

from traza.report.build import build_report
from traza.report.model import Figure, Report, Section, Table, Visual

__all__ = ["Figure", "Report", "Section", "Table", "Visual", "build_report"]
