"""The file-name endings each command reads, written once: each command searches the folders
it is given by its own, and ``traza load`` also finds the other commands' files (to refuse
them naming the command that loads them, not pass over them in silence)."""

from __future__ import annotations

from typing import Final

V1_TABLES: Final = (".csv", ".xlsx")  # traza load: the v1 tables
UBL: Final = (".xml", ".zip")  # traza load: SUNAT e-documents, loose or zipped
EDIFACT: Final = (".edi", ".edifact", ".cuscar")  # traza ports load: always read as EDIFACT
GEOJSON: Final = (".geojson", ".json")  # traza field load: plots and eradication polygons
PORTS: Final = (".csv", *EDIFACT)  # traza ports load: manifests and events, CSV or CUSCAR
