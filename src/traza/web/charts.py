"""Chart.js configurations built on the server: the page embeds them as JSON and app.js
draws every ``<canvas data-chart=...>`` from its configuration."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# Colour-blind-safe palette (Okabe-Ito), then greys.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000",
           "#999999", "#666666")
SEVERITY_COLOURS = {"low": "#56B4E9", "medium": "#E69F00", "high": "#D55E00", "critical": "#7A0000"}


def stacked_bars(labels: list[str], series: Iterable[tuple[str, list[float], str]], horizontal: bool = False) -> dict[str, Any]:
    return {
        "type": "bar",
        "data": {"labels": labels,
                 "datasets": [{"label": name, "data": values, "backgroundColor": colour}
                              for name, values, colour in series]},
        "options": {"indexAxis": "y" if horizontal else "x", "responsive": True, "maintainAspectRatio": False,
                    "animation": False,
                    "scales": {"x": {"stacked": True}, "y": {"stacked": True}}},
    }


def lines(labels: list[str], series: Iterable[tuple[str, list[float | None]]], y_title: str = "",
          extra: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    datasets: list[dict[str, Any]] = [
        {"label": name, "data": values, "borderColor": PALETTE[i % len(PALETTE)],
         "backgroundColor": PALETTE[i % len(PALETTE)], "tension": 0.2, "pointRadius": 2, "spanGaps": True}
        for i, (name, values) in enumerate(series)]
    datasets.extend(extra or [])
    return {
        "type": "line",
        "data": {"labels": labels, "datasets": datasets},
        "options": {"responsive": True, "maintainAspectRatio": False, "animation": False,
                    "interaction": {"mode": "index", "intersect": False},
                    "plugins": {"legend": {"position": "bottom", "labels": {"boxWidth": 12}}},
                    "scales": {"y": {"beginAtZero": True, "title": {"display": bool(y_title), "text": y_title}}}},
    }
