"""A small port world where each targeting rule has a container it must flag and a near-miss
it must leave alone. Built as manifest values, written as CSV/CUSCAR by the tests."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from stdnum import iso6346

from traza.ports.csv_write import write_events, write_manifest_file
from traza.ports.model import Document, Equipment, GoodsItem, Manifest, PortEvent, Seal, VesselCall

RUC_OK = "20100000001"      # authorised importer of sulfuric acid
RUC_NOAUTH = "20100000002"  # registered, authorised for toluene only
RUC_QUOTA = "20100000003"   # hydrochloric acid, small quota
RUC_HIST = "20100000004"    # toluene, no quota, small history
RUC_UNREG = "20199999999"   # not in the registry


def ruc(body: str) -> str:
    from stdnum.pe import ruc as r

    return body[:10] + r.calc_check_digit(body[:10])


def box(n: int, owner: str = "TRZU") -> str:
    body = f"{owner}{n:06d}"
    return body + iso6346.calc_check_digit(body)


# The containers, by the rule each must trigger; "ok_*" must trigger none.
C = {name: box(i) for i, name in enumerate((
    "ok_imp", "unreg", "noauth", "quota", "hist", "vague", "acid", "late", "ok_exp", "cover", "trans", "new",
    "unlike", "reefer", "vgm", "order", "house", "seal", "door", "watch", "mark", "route", "amend"), start=1)}
BAD_DIGIT = "TRZU9999990" if not iso6346.is_valid("TRZU9999990") else "TRZU9999991"

REGISTRY = {
    "operators.csv": (
        "ruc,name,sector,registered_on,status\n"
        f"{ruc(RUC_OK)},Quimica Buena SAC,importer,2010-01-01,active\n"
        f"{ruc(RUC_NOAUTH)},Solventes Dos SAC,importer,2010-01-01,active\n"
        f"{ruc(RUC_QUOTA)},Acidos Tres SAC,importer,2010-01-01,active\n"
        f"{ruc(RUC_HIST)},Toluenos Cuatro SAC,importer,2010-01-01,active\n"),
    "authorisations.csv": (
        "ruc,chemical,activities,annual_quota_kg,valid_from,valid_to\n"
        f"{ruc(RUC_OK)},sulfuric_acid,import;sell,1000000,2020-01-01,\n"
        f"{ruc(RUC_NOAUTH)},toluene,import;sell,,2020-01-01,\n"
        f"{ruc(RUC_QUOTA)},hydrochloric_acid,import,10000,2020-01-01,\n"
        f"{ruc(RUC_HIST)},toluene,import,,2020-01-01,\n"),
}


def _eq(c: str, goods_kg: float, reefer: bool = False, seal: str | None = None, vgm: float | None = None) -> Equipment:
    return Equipment(c, iso6346.is_valid(c), "45R1" if reefer else "42G1", reefer, "full",
                     vgm if vgm is not None else goods_kg + 3800, 3800, [Seal(seal or f"S{c[4:10]}", "SH")])


def _doc(bl: str, c: str, desc: str, kg: float, shipper: str, consignee: str = "BUYER INC", *, dest: str = "USNYC",
         hs: str | None = None, un: str | None = None, cid: str | None = None, sid: str | None = None,
         origin: str | None = None, bl_type: str = "master", master: str | None = None, marks: str | None = None,
         loading: str = "PECLL", notify_id: str | None = None) -> Document:
    return Document(bl, "scenario", bl_type, master, shipper, sid, consignee, cid, "NOTIFY CO", notify_id,
                    origin or loading, loading, None, dest[:5] if dest != "PECLL" else "PECLL", dest,
                    [GoodsItem(1, c, 20, "BG", kg, desc, hs, un, None, marks)], [c])


def _export(voyage: str, day: date, docs: list[Document], equip: list[Equipment], sent: datetime | None = None,
            version_fn: str = "original") -> Manifest:
    call = VesselCall("PECLL", "export", "MSC SCENARIO", voyage, "9000001", "MSC", None, day)
    return Manifest(call, f"M-{voyage}", version_fn, "csv", "x", sent or datetime(day.year, day.month, day.day) .replace(day=max(1, day.day - 2)), docs, equip)


def _import(voyage: str, day: date, docs: list[Document], equip: list[Equipment], sent: datetime) -> Manifest:
    call = VesselCall("PECLL", "import", "CMA SCENARIO", voyage, "9000002", "CMA", day, None)
    return Manifest(call, f"M-{voyage}", "original", "csv", "x", sent, docs, equip)


HISTORY_SHIPPERS = [("CAFETALERA ANDINA SAC", "CAFE VERDE EN GRANO"), ("MINERA ZINC SAC", "CONCENTRADO DE ZINC"),
                    ("PESQUERA NORTE SAC", "LANGOSTINOS CONGELADOS"), ("TEXTIL LIMA SAC", "PRENDAS DE ALGODON"),
                    ("AGRO PALTA SAC", "PALTA HASS FRESCA")]


def manifests() -> list[Manifest]:
    out: list[Manifest] = []
    # Three early export calls build the shippers' history (and traza's observed span).
    for k, day in enumerate((date(2025, 1, 5), date(2025, 1, 20), date(2025, 2, 5))):
        docs, eq = [], []
        for j, (shipper, desc) in enumerate(HISTORY_SHIPPERS):
            c = box(500 + 10 * k + j)
            docs.append(_doc(f"H{k}{j}", c, desc, 10000, shipper))
            eq.append(_eq(c, 10000))
        out.append(_export(f"H{k}", day, docs, eq))
    # Early import: history of the toluene and sulfuric acid importers.
    c0, c1 = box(600), box(601)
    out.append(_import("I0", date(2025, 1, 10), [
        _doc("IH1", c0, "TOLUENO", 2000, "SUPPLIER CN", "TOLUENOS CUATRO", hs="290230", un="1294", cid=ruc(RUC_HIST), loading="CNSHA", dest="PECLL"),
        _doc("IH2", c1, "ACIDO SULFURICO", 8000, "SUPPLIER CN", "QUIMICA BUENA", hs="280700", un="1830", cid=ruc(RUC_OK), loading="CNSHA", dest="PECLL"),
    ], [_eq(c0, 2000), _eq(c1, 8000)], datetime(2025, 1, 1, 9)))
    imp = [
        ("ok_imp", dict(desc="ACIDO SULFURICO 98%", hs="280700", un="1830", cid=ruc(RUC_OK), kg=8000)),
        ("unreg", dict(desc="ACETONA", hs="291411", un="1090", cid=RUC_UNREG, kg=5000)),
        ("noauth", dict(desc="ACETONA", hs="291411", un="1090", cid=ruc(RUC_NOAUTH), kg=5000)),
        ("quota", dict(desc="ACIDO CLORHIDRICO", hs="280610", un="1789", cid=ruc(RUC_QUOTA), kg=20000)),
        ("hist", dict(desc="TOLUENO", hs="290230", un="1294", cid=ruc(RUC_HIST), kg=9000)),
        ("vague", dict(desc="SOLVENTE", hs="291469", un="1993", cid=ruc(RUC_OK), kg=3000)),
        ("acid", dict(desc="ACIDO FOSFORICO", hs="280920", un=None, cid=ruc(RUC_OK), kg=3000)),
    ]
    docs = [_doc(f"IB-{n}", C[n], a["desc"], a["kg"], "SUPPLIER CN", "CONSIGNEE", hs=a["hs"], un=a["un"], cid=a["cid"],
                 loading="CNSHA", dest="PECLL") for n, a in imp]
    out.append(_import("I1", date(2025, 6, 10), docs, [_eq(C[n], a["kg"]) for n, a in imp], datetime(2025, 6, 1, 9)))
    late = _doc("IB-late", C["late"], "MAQUINARIA INDUSTRIAL", 9000, "SUPPLIER CN", loading="CNSHA", dest="PECLL")
    out.append(_import("I2", date(2025, 6, 20), [late], [_eq(C["late"], 9000)], datetime(2025, 6, 20, 8)))
    # The main export call.
    s = dict(HISTORY_SHIPPERS)
    exp = [
        ("ok_exp", _doc("EB-ok", C["ok_exp"], s["CAFETALERA ANDINA SAC"], 10000, "CAFETALERA ANDINA SAC")),
        ("cover", _doc("EB-cover", C["cover"], "CAFE VERDE EN GRANO", 10000, "CAFETALERA ANDINA SAC", dest="BEANR")),
        ("trans", _doc("EB-trans", C["trans"], "CONCENTRADO DE ZINC", 10000, "MINERA ZINC SAC", origin="COBUN")),
        ("new", _doc("EB-new", C["new"], "PRENDAS DE ALGODON", 10000, "EXPORTADORA NUEVA SAC")),
        ("unlike", _doc("EB-unlike", C["unlike"], "PALTA HASS", 10000, "MINERA ZINC SAC")),
        ("reefer", _doc("EB-reefer", C["reefer"], "LANGOSTINOS CONGELADOS", 10000, "PESQUERA NORTE SAC", dest="DEBRV")),
        ("vgm", _doc("EB-vgm", C["vgm"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC")),
        ("order", _doc("EB-order", C["order"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC", consignee="TO ORDER")),
        ("house", _doc("EB-house", C["house"], "PRENDAS DE ALGODON", 10000, "NVOCC CLIENTE NUEVO", bl_type="house",
                       master="MB-CONSOL-1")),
        ("seal", _doc("EB-seal", C["seal"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC")),
        ("door", _doc("EB-door", C["door"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC")),
        ("watch", _doc("EB-watch", C["watch"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC", consignee="FANTASMA BV")),
        ("mark", _doc("EB-mark", C["mark"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC", marks="LOGO ESCORPION 1/20")),
        ("route", _doc("EB-route", C["route"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC", dest="ESVLC")),
    ]
    eq = [_eq(C[n], 10000, reefer=(n == "reefer"), vgm=30000 if n == "vgm" else None) for n, _ in exp]
    bad = _doc("EB-bad", BAD_DIGIT, "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC")
    out.append(_export("E1", date(2025, 6, 1), [d for _, d in exp] + [bad], eq + [_eq(BAD_DIGIT, 10000)],
                       datetime(2025, 5, 30, 9)))
    # A call whose manifest is amended after departure, changing a consignee.
    d1 = _doc("EB-amend", C["amend"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC", consignee="BUYER INC")
    out.append(_export("E2", date(2025, 6, 5), [d1], [_eq(C["amend"], 10000)], datetime(2025, 6, 3, 9)))
    return out


def amendment() -> Manifest:
    d2 = _doc("EB-amend", C["amend"], "PRENDAS DE ALGODON", 10000, "TEXTIL LIMA SAC", consignee="OTRO COMPRADOR LTD")
    return _export("E2", date(2025, 6, 5), [d2], [_eq(C["amend"], 10000)], datetime(2025, 6, 6, 9), "replacement")


def events() -> list[PortEvent]:
    t = datetime
    return [
        PortEvent(C["ok_exp"], "gate_in", t(2025, 5, 28, 8), None, "APM", f"seal=S{C['ok_exp'][4:10]}"),
        PortEvent(C["ok_exp"], "door_opened", t(2025, 5, 28, 9)),
        PortEvent(C["ok_exp"], "scan", t(2025, 5, 28, 10)),
        PortEvent(C["seal"], "gate_in", t(2025, 5, 28, 8), None, "APM", "seal=CLONED999"),
        PortEvent(C["door"], "scan", t(2025, 5, 29, 10)),
        PortEvent(C["door"], "door_opened", t(2025, 5, 29, 12)),
    ]


WATCH = [("party", "FANTASMA BV"), ("marking", "ESCORPION"), ("route", "PECLL>ESVLC")]


def write(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for name, text in REGISTRY.items():
        (folder / name).write_text(text, encoding="utf-8")
        paths[name] = folder / name
    paths["manifests"] = folder / "manifests.csv"
    write_manifest_file(paths["manifests"], manifests())
    paths["amendment"] = folder / "amendment.csv"
    write_manifest_file(paths["amendment"], [amendment()])
    paths["events"] = folder / "events.csv"
    write_events(paths["events"], [(e, None) for e in events()])
    return paths
