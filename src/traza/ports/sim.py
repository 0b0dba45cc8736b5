"""`traza simulate ports`: a year of vessel calls at Callao and Paita with manifests, port
events, a registry of chemical importers and planted cases (contaminated export containers,
chemical shipments to unauthorised consignees), plus the truth.

Honesty: nothing marks a planted container by itself. Every signal a plant may carry also
occurs in lawful trade at realistic rates (new exporters, cover loads to Europe, reefers,
consolidators, late or amended manifests, VGM errors, reseals, doors opened by customs), and
a plant carries each signal only with some probability, so some plants look clean.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from stdnum import iso6346
from stdnum.pe import ruc as pe_ruc

from traza.ports.model import Document, Equipment, GoodsItem, Manifest, PortEvent, Seal, VesselCall
from traza.ports.reference import FREQUENT_DESTINATIONS

OWNERS = ("MSCU", "MAEU", "CMAU", "HLXU", "ONEU", "TGHU", "SEGU", "TCLU", "CAIU", "EMCU")
LINES = ("MSC", "MAERSK", "CMA CGM", "HAPAG-LLOYD", "ONE", "EVERGREEN", "COSCO")
# (category, descriptions, reefer share, cover load?)
GOODS = {
    "fruit": (("PALTA HASS FRESCA", "UVA RED GLOBE", "ARANDANOS FRESCOS", "MANGO KENT", "BANANO ORGANICO"), 0.95),
    "coffee": (("CAFE VERDE EN GRANO", "CAFE ORGANICO EN SACOS"), 0.0),
    "cacao": (("CACAO EN GRANO", "MANTECA DE CACAO"), 0.0),
    "seafood": (("POTA CONGELADA", "LANGOSTINOS CONGELADOS", "FILETE DE PESCADO CONGELADO"), 1.0),
    "timber": (("PISOS DE MADERA", "MADERA ASERRADA"), 0.0),
    "tiles": (("MAYOLICAS CERAMICAS",), 0.0),
    "juice": (("JUGO CONCENTRADO DE MARACUYA", "PULPA DE MANGO"), 0.6),
    "scrap": (("CHATARRA DE COBRE",), 0.0),
    "minerals": (("CONCENTRADO DE ZINC", "CONCENTRADO DE COBRE", "CATODOS DE COBRE"), 0.0),
    "textiles": (("PRENDAS DE ALGODON", "HILADO DE ALPACA"), 0.0),
    "other": (("CONSERVAS DE PESCADO", "HARINA DE PESCADO", "ESPARRAGOS EN CONSERVA", "QUINUA EN SACOS"), 0.0),
}
SECTOR_SHARE = {"fruit": 0.22, "coffee": 0.07, "cacao": 0.04, "seafood": 0.1, "timber": 0.03, "tiles": 0.02,
                "juice": 0.03, "scrap": 0.02, "minerals": 0.2, "textiles": 0.1, "other": 0.17}
OTHER_DESTS = ("USNYC", "USLAX", "USPHL", "CNSHA", "KRPUS", "JPYOK", "MXZLO", "CLSAI", "PAMIT", "CAVAN", "DEBRV",
               "GBLGP", "SEGOT")
ORIGINS_ASIA = ("CNSHA", "CNNGB", "KRPUS", "INNSA", "DEHAM", "USHOU")
RISK_ORIGINS = ("COBUN", "ECGYE", "BOVIT", "CLARI", "COCTG")
CHEMICALS = (("sulfuric_acid", "280700", "ACIDO SULFURICO", "1830"), ("hydrochloric_acid", "280610", "ACIDO CLORHIDRICO", "1789"),
             ("acetone", "291411", "ACETONA", "1090"), ("toluene", "290230", "TOLUENO", "1294"),
             ("methyl_ethyl_ketone", "291412", "METIL ETIL CETONA", "1193"),
             ("potassium_permanganate", "284161", "PERMANGANATO DE POTASIO", "1490"))
OTHER_IMPORTS = ("MAQUINARIA INDUSTRIAL", "REPUESTOS AUTOMOTRICES", "ELECTRODOMESTICOS", "TELAS SINTETICAS",
                 "NEUMATICOS", "PAPEL EN BOBINAS", "RESINAS PLASTICAS")


@dataclass
class SimPortParams:
    seed: int = 0
    year: int = 2025
    containers: int = 20000          # container records in the year, both ports
    paita_share: float = 0.2
    export_share: float = 0.6
    contaminated_rate: float = 0.016  # of export containers
    chemical_rate: float = 0.05      # of import containers carrying controlled chemicals
    diverted_rate: float = 0.15      # of those, consigned outside the registry's authorisations


@dataclass
class Exporter:
    name: str
    ruc: str
    sector: str
    dests: tuple[str, ...]
    first_day: int  # day of the year it starts shipping (negative: before the year)


@dataclass
class Truth:
    call_id: str
    container_no: str
    kind: str   # contaminated | chemical
    modus: str


@dataclass
class PortSim:
    params: SimPortParams
    manifests: list[Manifest] = field(default_factory=list)
    amendments: list[Manifest] = field(default_factory=list)
    events: list[tuple[PortEvent, tuple[str, str, str, str]]] = field(default_factory=list)
    truth: list[Truth] = field(default_factory=list)
    operators: list[tuple[str, str]] = field(default_factory=list)
    authorisations: list[tuple[str, str, float | None]] = field(default_factory=list)


class _Gen:
    def __init__(self, p: SimPortParams) -> None:
        self.p, self.rng = p, random.Random(p.seed)
        self.serial = self.rng.randrange(100000, 400000)
        self.sim = PortSim(p)
        self.start = date(p.year, 1, 1)
        self.bl = 0
        self.used: dict[tuple[str, str], float] = {}  # kg imported so far per (consignee, chemical)

    def ruc(self, person: bool = False) -> str:
        body = ("10" if person else "20") + f"{self.rng.randrange(10**8):08d}"
        return body + pe_ruc.calc_check_digit(body)

    def container(self) -> str:
        self.serial += self.rng.randrange(1, 40)
        body = f"{self.rng.choice(OWNERS)}{self.serial % 1000000:06d}"
        number = body + iso6346.calc_check_digit(body)
        if self.rng.random() < 0.003:  # a typo in the manifest
            number = body + str((int(number[-1]) + 1) % 10)
        return number

    def next_bl(self, prefix: str) -> str:
        self.bl += 1
        return f"{prefix}{self.p.seed % 100:02d}{self.bl:08d}"

    def exporters(self, n: int) -> list[Exporter]:
        out = []
        sectors = list(SECTOR_SHARE)
        for i in range(n):
            sector = self.rng.choices(sectors, weights=list(SECTOR_SHARE.values()))[0]
            europe = self.rng.random() < (0.6 if sector in ("fruit", "coffee", "cacao", "seafood", "timber", "juice") else 0.2)
            dests = tuple(self.rng.sample(FREQUENT_DESTINATIONS[:6], 2)) if europe else tuple(self.rng.sample(OTHER_DESTS, 2))
            # About one in six begins exporting during the year: lawful new exporters are common.
            first = self.rng.randrange(30, 330) if self.rng.random() < 0.16 else -self.rng.randrange(30, 3000)
            out.append(Exporter(f"EXPORTADORA {sector.upper()} {i:04d} SAC", self.ruc(), sector, dests, first))
        return out

    def registry(self) -> list[tuple[str, str, dict[str, float | None]]]:
        """Chemical importers: (ruc, name, {chemical: quota}) and the registry rows."""
        out = []
        for i in range(40):
            ruc = self.ruc()
            chems = self.rng.sample([c[0] for c in CHEMICALS], self.rng.randint(1, 3))
            quotas = {c: (float(self.rng.choice((40000, 80000, 150000))) if self.rng.random() < 0.7 else None)
                      for c in chems}
            name = f"QUIMICA IMPORTADORA {i:03d} SAC"
            out.append((ruc, name, quotas))
            self.sim.operators.append((ruc, name))
            self.sim.authorisations.extend((ruc, c, q) for c, q in quotas.items())
        return out

    def run(self) -> PortSim:
        p, rng = self.p, self.rng
        exporters = self.exporters(max(20, p.containers // 60))
        importers = self.registry()
        consolidators = [f"NVOCC CONSOLIDADOR {i} SAC" for i in range(8)]
        n_days = 365
        for port, share in (("PECLL", 1 - p.paita_share), ("PEPAI", p.paita_share)):
            per_port = int(p.containers * share)
            for direction, dshare in (("export", p.export_share), ("import", 1 - p.export_share)):
                total = int(per_port * dshare)
                n_calls = max(4, total // (120 if port == "PECLL" else 60))
                for k in range(n_calls):
                    day = int(k * n_days / n_calls) + rng.randrange(0, 2)
                    size = max(1, int(rng.gauss(total / n_calls, total / n_calls / 4)))
                    if direction == "export":
                        self.export_call(port, k, day, size, exporters, consolidators)
                    else:
                        self.import_call(port, k, day, size, importers)
        return self.sim

    def _call(self, port: str, direction: str, k: int, day: int) -> VesselCall:
        line = self.rng.choice(LINES)
        d = self.start + timedelta(days=min(day, 364))
        voyage = f"{k:03d}{'E' if direction == 'export' else 'W'}{port[-2:]}"
        return VesselCall(port, direction, f"{line} VESSEL {k % 37:02d}", voyage, f"9{self.rng.randrange(100000, 999999)}",
                          line, d if direction == "import" else None, d if direction == "export" else None)

    def _sent(self, call: VesselCall, late: bool) -> datetime:
        day = call.departure or call.arrival or self.start
        base = datetime(day.year, day.month, day.day, 9)
        if call.direction == "export":
            return base + timedelta(days=1) if late else base - timedelta(days=self.rng.randint(1, 3))
        return base - timedelta(hours=self.rng.randint(2, 30)) if late else base - timedelta(days=self.rng.randint(3, 12))

    def export_call(self, port: str, k: int, day: int, size: int, exporters: list[Exporter],
                    consolidators: list[str]) -> None:
        rng, p = self.rng, self.p
        call = self._call(port, "export", k, day)
        active = [e for e in exporters if e.first_day <= day]
        man = Manifest(call, f"{port}-{call.voyage}", "original", "csv", "", self._sent(call, rng.random() < 0.04))
        amended: list[Document] = []
        made = 0
        while made < size:
            plant = rng.random() < p.contaminated_rate
            modus = rng.choices(("front", "rip_on", "transship", "unlike"), weights=(0.35, 0.35, 0.15, 0.15))[0] if plant else ""
            exp = self._exporter_for(modus, active, day)
            n_cont = 1 if plant else rng.choices((1, 2, 3), weights=(0.75, 0.17, 0.08))[0]
            sector = exp.sector
            if modus in ("front", "unlike", "transship"):
                sector = rng.choice(("fruit", "coffee", "cacao", "seafood", "timber", "juice"))
            descs, reefer_share = GOODS[sector]
            desc = rng.choice(descs)
            reefer = rng.random() < reefer_share
            dest = rng.choice(FREQUENT_DESTINATIONS[:6]) if plant and rng.random() < 0.85 else rng.choice(exp.dests)
            sig = self._signals(modus)
            house = sig.get("house", rng.random() < 0.15)
            doc = Document(self.next_bl("BL"), "sim", "house" if house else "master",
                           self.next_bl("MB") if house else None, exp.name, exp.ruc,
                           "TO ORDER" if sig.get("to_order", rng.random() < 0.03) else f"BUYER {dest} {rng.randrange(300):03d}",
                           None, "NOTIFY AGENT", self.ruc(person=True)[:8] if sig.get("private", rng.random() < 0.015) else None,
                           port, port, None, dest, dest)
            if sig.get("transship", rng.random() < 0.015):
                doc.port_original_loading, doc.port_transshipment = rng.choice(RISK_ORIGINS), port
                if modus != "transship":
                    doc.shipper_name, doc.shipper_id = f"TRADING {rng.randrange(25):02d} SA", None  # regular foreign traders
            for j in range(n_cont):
                cont = self.container()
                kg = round(rng.uniform(8000, 24000), 0)
                tare = 4800.0 if reefer else 3800.0
                vgm = kg + tare
                if sig.get("vgm", rng.random() < 0.03):
                    vgm = round(vgm * rng.choice((rng.uniform(1.08, 1.3), rng.uniform(0.75, 0.92))), 0)
                seal = f"{rng.choice(('ML', 'HL', 'SL', 'CU'))}{rng.randrange(10**7):07d}"
                man.equipment.append(Equipment(cont, iso6346.is_valid(cont), "45R1" if reefer else "45G1", reefer, "full",
                                               vgm, tare, [Seal(seal, "CA")]))
                doc.goods.append(GoodsItem(j + 1, cont, rng.randrange(200, 2000), "BX", kg, desc, None, None, None,
                                           rng.choice(("", "", "", f"LOTE {rng.randrange(1000)}"))))
                doc.containers.append(cont)
                self._export_events(call, cont, seal, sig)
                if plant:
                    self.sim.truth.append(Truth(call.call_id, cont, "contaminated", modus))
                made += 1
            man.documents.append(doc)
            if sig.get("amend", rng.random() < 0.007):
                amended.append(doc)
        self.sim.manifests.append(man)
        if amended:
            self._amend(man, amended)

    def _exporter_for(self, modus: str, active: list[Exporter], day: int) -> Exporter:
        rng = self.rng
        if modus == "front" or not active:
            sector = rng.choice(("fruit", "coffee", "cacao", "seafood", "timber", "juice"))
            return Exporter(f"INVERSIONES {rng.choice(('ANDINAS', 'DEL NORTE', 'GLOBAL', 'PACIFICO'))} {rng.randrange(10**4):04d} SAC",
                            self.ruc(), sector, (rng.choice(FREQUENT_DESTINATIONS[:6]),), day)
        if modus == "rip_on":
            pool = [e for e in active if e.sector in ("fruit", "coffee", "cacao", "seafood", "timber", "juice")]
            return rng.choice(pool or active)
        if modus == "unlike":
            pool = [e for e in active if e.sector in ("minerals", "textiles", "other")]
            return rng.choice(pool or active)
        return rng.choice(active)

    def _signals(self, modus: str) -> dict[str, bool]:
        """Which red flags a plant carries; each only with some probability."""
        r = self.rng.random
        if modus == "front":
            return {"house": r() < 0.5, "private": r() < 0.3, "to_order": r() < 0.2, "vgm": r() < 0.3,
                    "door": r() < 0.2, "seal": r() < 0.1}
        if modus == "rip_on":
            return {"door": r() < 0.55, "seal": r() < 0.4, "vgm": r() < 0.35}
        if modus == "transship":
            return {"transship": True, "amend": r() < 0.3, "vgm": r() < 0.3, "door": r() < 0.2}
        if modus == "unlike":
            return {"house": r() < 0.3, "vgm": r() < 0.3, "private": r() < 0.2, "door": r() < 0.25, "seal": r() < 0.15}
        return {}

    def _export_events(self, call: VesselCall, cont: str, seal: str, sig: dict[str, bool]) -> None:
        rng = self.rng
        dep = call.departure or self.start
        t0 = datetime(dep.year, dep.month, dep.day, 6) - timedelta(hours=rng.randint(30, 100))
        key = (call.port, call.vessel_name, call.voyage, call.direction)
        read = seal if not sig.get("seal", rng.random() < 0.004) else f"XX{rng.randrange(10**7):07d}"
        self.sim.events.append((PortEvent(cont, "gate_in", t0, call.call_id, "GATE", f"seal={read}"), key))
        door = sig.get("door", rng.random() < 0.01)
        if door or rng.random() < 0.55:
            scan = t0 + timedelta(hours=rng.randint(2, 12))
            self.sim.events.append((PortEvent(cont, "scan", scan, call.call_id, "SCAN"), key))
            if door:
                kind = rng.choice(("door_opened", "moved"))
                self.sim.events.append((PortEvent(cont, kind, scan + timedelta(hours=rng.randint(1, 8)), call.call_id, "YARD"), key))
        self.sim.events.append((PortEvent(cont, "loaded", datetime(dep.year, dep.month, dep.day, 5), call.call_id, "BERTH"), key))

    def _amend(self, man: Manifest, docs: list[Document]) -> None:
        import copy

        new = copy.deepcopy(man)
        new.message_function = "replacement"
        day = man.call.departure or self.start
        new.transmitted_at = datetime(day.year, day.month, day.day, 9) + timedelta(days=self.rng.randint(1, 4))
        changed = {d.bl_number for d in docs}
        for d in new.documents:
            if d.bl_number in changed:
                d.consignee_name = f"NUEVO COMPRADOR {self.rng.randrange(1000):03d}"
        self.sim.amendments.append(new)

    def import_call(self, port: str, k: int, day: int, size: int,
                    importers: list[tuple[str, str, dict[str, float | None]]]) -> None:
        rng, p = self.rng, self.p
        call = self._call(port, "import", k, day)
        man = Manifest(call, f"{port}-{call.voyage}", "original", "csv", "", self._sent(call, rng.random() < 0.04))
        used = self.used
        for _ in range(size):
            cont = self.container()
            kg = round(rng.uniform(5000, 22000), 0)
            origin = rng.choice(ORIGINS_ASIA)
            good = GoodsItem(1, cont, rng.randrange(20, 800), "PK", kg, rng.choice(OTHER_IMPORTS), None, None, None, None)
            consignee, cname, modus = self.ruc(), f"IMPORTADORA {rng.randrange(2000):04d} SAC", ""
            if rng.random() < p.chemical_rate:
                chem, hs, desc, un = rng.choice(CHEMICALS)
                holders = [(r, n, q) for r, n, q in importers if chem in q]
                diverted = rng.random() < p.diverted_rate or not holders
                good.hs_code, good.description, good.un_number = hs, desc, un
                good.imdg_class = "8" if "ACIDO" in desc else "3"
                if diverted:
                    modus = rng.choices(("unregistered", "not_authorised", "quota"), weights=(0.5, 0.3, 0.2))[0]
                    if modus == "not_authorised":
                        others = [(r, n) for r, n, q in importers if chem not in q]
                        consignee, cname = rng.choice(others) if others else (consignee, cname)
                    elif modus == "quota" and holders:
                        # the holder closest to its quota diverts what it buys beyond it
                        r_, n_, q_ = max(holders, key=lambda h: used.get((h[0], chem), 0) / (h[2][chem] or 1e12))
                        consignee, cname = r_, n_
                        good.gross_kg = kg = min(26000.0, max(kg, (q_[chem] or 40000) * 1.15 - used.get((r_, chem), 0)))
                    if rng.random() < 0.35:  # misdeclared under a neighbouring, uncontrolled heading
                        good.hs_code = hs[:4] + "90"
                    if rng.random() < 0.45:
                        good.description = rng.choice(("PRODUCTOS QUIMICOS", "SOLVENTE", "MUESTRAS"))
                    if "ACIDO" in desc and rng.random() < 0.5:
                        good.un_number = None
                    self.sim.truth.append(Truth(call.call_id, cont, "chemical", modus))
                else:
                    consignee, cname, quotas = rng.choice(holders)
                    q = quotas[chem]
                    kg = min(kg, max(0.0, (q or 1e12) * 0.9 - used.get((consignee, chem), 0)))
                    good.gross_kg = kg = max(kg, 500.0)
                    if rng.random() < 0.08:
                        good.description = rng.choice(("PRODUCTOS QUIMICOS", "SOLVENTE"))
                    if "ACIDO" in desc and rng.random() < 0.04:
                        good.un_number = None
                used[(consignee, chem)] = used.get((consignee, chem), 0) + kg
            tare = 3800.0
            vgm = kg + tare if rng.random() > 0.03 else round((kg + tare) * rng.uniform(1.08, 1.3), 0)
            seal = f"SL{rng.randrange(10**7):07d}"
            man.equipment.append(Equipment(cont, iso6346.is_valid(cont), "22G1", False, "full", vgm, tare, [Seal(seal, "SH")]))
            to_order = rng.random() < 0.03
            man.documents.append(Document(self.next_bl("IB"), "sim", "master", None, f"SUPPLIER {origin} {rng.randrange(400)}",
                                          None, "TO ORDER" if to_order else cname, None if to_order else consignee,
                                          cname if to_order else None, consignee if to_order else None,
                                          origin, origin, None, port, port, [good], [cont]))
        self.sim.manifests.append(man)


def simulate_ports(params: SimPortParams) -> PortSim:
    return _Gen(params).run()
