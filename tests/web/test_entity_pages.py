"""The entity page answers for any RUC the data names (registered, unregistered, revoked), a
404 for one seen nowhere and a 400 naming the field for one that is not a RUC; the header's
search finds entities by RUC and by name and refuses hostile text without a 5xx."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.api.conftest import World, world  # noqa: F401 - the fixture
from tests.factories import BUYER, SELLER, THIRD, UNREGISTERED, make_ruc, movement, write_csv
from tests.web.test_pages import login
from traza.ingest import load_paths
from traza.service import registry

NOWHERE = make_ruc(77)


def _sell_to_unregistered(w: World, folder: Path) -> None:
    """The seller declares two sales to a buyer the registry does not know, delivered to
    Ayacucho's Huanta and to Lima."""
    rows = [movement("S-U1", SELLER, "sale", 1500, "kg", date="2025-02-03", counterparty_ruc=UNREGISTERED,
                     document_ref="T001-90", destination_ubigeo="050401"),
            movement("S-U2", SELLER, "sale", 700, "kg", chemical="potassium_permanganate", date="2025-03-09",
                     counterparty_ruc=UNREGISTERED, document_ref="T001-91", destination_ubigeo="150101")]
    with w.db() as db:
        report = load_paths(db, [write_csv(folder / "movements-unreg.csv", rows, "movements")],
                            submitted_by="test", today=date(2025, 6, 1))
        assert report.files[0].rows_rejected == 0, report.files[0].rejections


def test_unregistered_buyer_page(world: World, tmp_path: Path) -> None:  # noqa: F811
    _sell_to_unregistered(world, tmp_path)
    alert_id = world.alert("a-unreg", ruc=UNREGISTERED, rule="counterparty_not_authorised")
    c = world.client
    login(c, "analyst")
    page = c.get(f"/operators/{UNREGISTERED}")
    assert page.status_code == 200, page.text[-800:]
    text = page.text
    assert 'id="entity-state"' in text and "no registrado" in text
    # Who sold it what: the seller by name, each chemical with its kilograms and dates.
    suppliers = text.split('id="suppliers"')[1].split("</table>")[0]
    assert "Químicos del Sur SAC" in suppliers and f"/operators/{SELLER}" in suppliers
    assert "1.500" in suppliers and "2025-02-03" in suppliers and "2025-03-09" in suppliers
    # Where it went: districts by name, not bare ubigeo codes.
    destinations = text.split('id="destinations"')[1].split("</table>")[0]
    assert "Huanta" in destinations and "Lima" in destinations and ">050401<" not in destinations
    # Its alerts, the registry-only sections saying there is no registration, the network drawn.
    assert f"/alerts/{alert_id}" in text
    assert 'id="no-authorisations"' in text and 'id="no-ledger"' in text
    assert "data-graph=" in text and SELLER in text.split("data-graph=")[1][:2000]
    # The same page in English.
    english = c.get(f"/operators/{UNREGISTERED}?lang=en").text
    assert "not registered" in english and "Who sold it what" in english


def test_revoked_operator_page(world: World) -> None:  # noqa: F811
    with world.db() as db:
        registry.set_status(db, "staff:registrar", THIRD, "revoked", "test", registry.current(db, THIRD).version)
    c = world.client
    login(c, "analyst")
    page = c.get(f"/operators/{THIRD}")
    assert page.status_code == 200, page.text[-800:]
    assert "Textil Lima SAC" in page.text and "state-revoked" in page.text and 'id="entity-note"' in page.text
    # A party with no counterparty in the period says so instead of drawing an empty graph.
    assert 'id="graph-empty"' in page.text and "Sin contrapartes en el periodo" in page.text
    assert "data-graph=" not in page.text


def test_registered_page_keeps_its_sections(world: World) -> None:  # noqa: F811
    c = world.client
    login(c, "analyst")
    text = c.get(f"/operators/{BUYER}").text
    assert "state-active" in text and 'id="authorisations"' in text and 'id="graph-legend"' in text
    # Each node carries its whole name for the tooltip beside the label drawn.
    graph = text.split("data-graph='")[1].split("'")[0]
    assert '"name": "Qu\\u00edmicos del Sur SAC"' in graph or '"name": "Químicos del Sur SAC"' in graph
    assert "Químicos del Sur SAC" in text.split('id="suppliers"')[1].split("</table>")[0]
    # The establishment's ubigeo is shown as its district.
    assert "Arequipa" in text.split('id="entity-seen"')[0]


@pytest.mark.parametrize("ruc, status", [(NOWHERE, 404), ("123", 400), ("2010000000X", 400),
                                         ("201000000011", 400), ("1234567890%E2%80%8B", 400), ("%00" + "1" * 10, 422)])
def test_unknown_and_malformed_rucs(world: World, ruc: str, status: int) -> None:  # noqa: F811
    """Seen nowhere: 404 in the page's language. Not a RUC: refused naming the field (a NUL
    already at the text edge, api/edge.py, as 422)."""
    c = world.client
    login(c, "analyst")
    resp = c.get(f"/operators/{ruc}")
    assert resp.status_code == status, resp.text[-500:]
    if status == 404:
        assert "No hay ningún dato" in resp.text and NOWHERE in resp.text
        assert "There is nothing about" in c.get(f"/operators/{ruc}?lang=en").text
    else:
        assert "ruc" in resp.text


def test_full_width_ruc_reads_as_ascii(world: World) -> None:  # noqa: F811
    c = world.client
    login(c, "analyst")
    wide = "".join(chr(0xFF10 + int(d)) for d in BUYER)
    resp = c.get(f"/operators/{wide}")
    assert resp.status_code == 200 and "Minera Andina SA" in resp.text
    hidden = c.get(f"/operators/{BUYER[:5]}%E2%80%8B{BUYER[5:]}")
    assert hidden.status_code == 200 and "Minera Andina SA" in hidden.text


def test_search(world: World, tmp_path: Path) -> None:  # noqa: F811
    _sell_to_unregistered(world, tmp_path)
    c = world.client
    login(c, "analyst")
    by_name = c.get("/search", params={"q": "andina"})
    assert by_name.status_code == 200 and f'href="/operators/{BUYER}"' in by_name.text
    assert SELLER not in by_name.text.split('id="search-results"')[1]
    by_ruc = c.get("/search", params={"q": UNREGISTERED[:6]}).text
    assert f'href="/operators/{UNREGISTERED}"' in by_ruc and "no registrado" in by_ruc
    wide = "".join(chr(0xFF10 + int(d)) for d in UNREGISTERED)
    assert f'href="/operators/{UNREGISTERED}"' in c.get("/search", params={"q": wide}).text
    assert f'href="/operators/{BUYER}"' in c.get("/search", params={"q": "and\u200bina"}).text
    assert 'id="search-none"' in c.get("/search", params={"q": "no such firm"}).text
    assert 'id="search-results"' not in c.get("/search").text
    # Hostile text: refused naming q, or nothing found; never a server error.
    for q, ok in (("\x00", (400, 422)), ("a" * 101, (400, 422)), ("%", (200,)), ("_", (200,)), ("'; DROP TABLE x; --", (200,)),
                  ("٢٠١", (200,)), ("\\", (200,)), ("\u202e", (200,))):
        resp = c.get("/search", params={"q": q})
        assert resp.status_code in ok, (q, resp.status_code)
        if resp.status_code >= 400:
            assert "q" in resp.text
        else:
            assert 'id="search-results"' not in resp.text, q
    assert c.get("/search?q=%ED%A0%80").status_code in (200, 400, 422)
    # The header carries the search for staff readers.
    assert 'id="header-search"' in c.get("/alerts").text


def test_graph_labels_are_short_and_names_whole() -> None:
    from traza.web.routes.operators import LABEL_CHARS, short_label

    long = "Comercializadora  Chávez del Norte S.A.C."
    label = short_label(long)
    assert label.endswith("…") and len(label) <= LABEL_CHARS and label.startswith("Comercializadora Cháv")
    assert short_label("Minera Andina SA") == "Minera Andina SA"
