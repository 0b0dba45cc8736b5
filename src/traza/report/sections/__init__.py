"""The report's sections, one module each, in the order the report shows them. Each
``build(ctx)`` returns a Section, or None when there is nothing to report (the section is
then left out). The summary is built last, from the others' headline figures."""

from __future__ import annotations

from collections.abc import Callable

from traza.report.context import Context
from traza.report.model import Section
from traza.report.sections import (
    chemicals,
    eradication,
    incidents,
    interdiction,
    measurements,
    ports,
)

Builder = Callable[[Context], Section | None]

SECTIONS: tuple[Builder, ...] = (
    eradication.build,
    incidents.build,
    interdiction.build,
    chemicals.build,
    ports.build,
    measurements.build,
)
