"""The whole simulation, in memory and without I/O: registry, legitimate economy, planted
schemes, declarations. ``traza.sim.write`` turns the result into files."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from traza.sim.authorisations import Authorisation, build_authorisations
from traza.sim.demand import assign_carries, build_flows, legit_orders
from traza.sim.honest import shape_orders
from traza.sim.ledger import DOC_CUSTOMS, DOC_GUIDE, DOC_OWN, Arr, Orders, Rows, T
from traza.sim.params import SimParams
from traza.sim.places import build_places
from traza.sim.profiles import END_USER
from traza.sim.registry import build_registry
from traza.sim.schemes import PlantedScheme, plant_all
from traza.sim.stock import consumption, stock_counts
from traza.sim.supply import SupplyBuilder
from traza.sim.units import choose_units, to_declared
from traza.sim.world import World, build_chemicals


@dataclass
class Simulation:
    params: SimParams
    world: World
    rows: Rows  # clean declarations, in file order (by date)
    unit: Arr
    quantity: Arr
    declared_kg: Arr
    authorisations: list[Authorisation]
    schemes: list[PlantedScheme]
    noise: dict[str, int]


def simulate(params: SimParams) -> Simulation:
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(params.seed).spawn(8)]
    places = build_places()
    world = World(params, places, build_chemicals(), build_registry(params, places, streams[0]))
    assign_carries(world, streams[1])
    flows = build_flows(world, streams[1])
    orders, order_flow = legit_orders(world, flows, streams[2])
    planted = plant_all(world, flows, orders, order_flow, params.schemes, params.seed)
    # Honest profiles of traza.sim.honest reshape the legitimate orders once the schemes are
    # planted, leaving scheme members alone; with none named, nothing changes.
    orders, honest_orders = shape_orders(world, orders, {m.op for p in planted for m in p.output.members})
    all_orders = [orders] + honest_orders + [o for p in planted for o in p.output.orders]
    scheme_rows = [r for p in planted for r in p.output.rows]
    used, end_user_openings = consumption(world, all_orders, streams[3])
    supply = SupplyBuilder(world, streams[4])
    supply_orders, supply_rows = supply.build(all_orders, scheme_rows)
    merged = Orders.concat(all_orders + supply_orders)
    rows = Rows.concat([orders_to_rows(world, merged, streams[5]), used, *scheme_rows, *supply_rows])
    rows = _in_period(world, _drop_silent(world, rows))
    a = world.arrays()
    density = world.chems.density
    unit, qty, kg = to_declared(choose_units(a.est_style[rows["est"]], density[rows["chem"]], rows["kg"],
                                             streams[6]), density[rows["chem"]], rows["kg"])
    counts = stock_counts(world, [rows], [kg], supply.openings + [end_user_openings], streams[7])
    c_unit, c_qty, c_kg = to_declared(choose_units(a.est_style[counts["est"]], density[counts["chem"]],
                                                   counts["kg"], streams[7]), density[counts["chem"]], counts["kg"])
    rows = Rows.concat([rows, counts])  # counts include opening counts, the day before the period
    unit, qty, kg = (np.concatenate(x) for x in ((unit, c_unit), (qty, c_qty), (kg, c_kg)))
    # By date, shuffled within a day: nothing about a row's origin shows in its position.
    order = np.lexsort((streams[7].random(len(rows)), rows["day"]))
    rows, unit, qty, kg = rows.take(order), unit[order], qty[order], kg[order]
    customs = np.flatnonzero(rows["doc_kind"] == DOC_CUSTOMS)
    rows["doc_num"][customs] = np.arange(1, len(customs) + 1)
    overrides = [q for p in planted for q in p.output.quotas]
    auths = build_authorisations(world, rows, kg, overrides, streams[7])
    noise = _noise(world, merged, rows, flows.step)
    return Simulation(params, world, rows, unit, qty, kg, auths, planted, noise)


def orders_to_rows(world: World, o: Orders, rng: np.random.Generator) -> Rows:
    """Both sides of each order: the seller's sale (or transfer out) and, unless the buyer is
    unregistered or silent, the buyer's purchase (or transfer in) ``lag`` days later."""
    a, cal = world.arrays(), world.cal
    doc = np.arange(1, len(o) + 1, dtype=np.int64)
    s = np.flatnonzero(o["seller_declares"])
    # Most declarants name the other party's establishment; some leave it blank.
    hide, hide_buyer = rng.random(len(o)) < 0.1, rng.random(len(o)) < 0.1
    sellers = Rows.make(
        est=o["seller"][s], day=o["day"][s], type=np.where(o["internal"][s], T["transfer_out"], T["sale"]),
        chem=o["chem"][s], kg=o["kg"][s], cp=o["buyer"][s], cp_est=np.where(hide[s], -1, o["buyer_est"][s]),
        dest=o["dest"][s], country=-1, doc_kind=DOC_GUIDE, doc_est=o["seller"][s], doc_num=doc[s],
        scheme=o["scheme"][s])
    day = o["day"] + o["lag"]
    b = np.flatnonzero(o["buyer_declares"] & (o["buyer_est"] >= 0) & (day <= cal.end_day))
    buyers = Rows.make(
        est=o["buyer_est"][b], day=day[b], type=np.where(o["internal"][b], T["transfer_in"], T["purchase"]),
        chem=o["chem"][b], kg=np.round(o["kg"][b] * o["buyer_factor"][b], 2), cp=a.est_op[o["seller"][b]],
        cp_est=np.where(hide_buyer[b] & ~o["internal"][b], -1, o["seller"][b]), dest=-1, country=-1,
        doc_kind=np.where(o["doc_shared"][b], DOC_GUIDE, DOC_OWN), doc_est=o["seller"][b], doc_num=doc[b],
        scheme=o["scheme"][b])
    return Rows.concat([sellers, buyers])


def _drop_silent(world: World, rows: Rows) -> Rows:
    if not world.silent_from:
        return rows
    silent = np.full(len(world.reg.est_op), np.iinfo(np.int32).max, dtype=np.int64)
    for e, d in world.silent_from.items():
        silent[e] = d
    return rows.take(np.flatnonzero(rows["day"] < silent[rows["est"]]))


def _in_period(world: World, rows: Rows) -> Rows:
    cal = world.cal
    ok = (rows["day"] >= cal.start_day) & (rows["day"] <= cal.end_day) & (rows["kg"] > 0)
    return rows.take(np.flatnonzero(ok))


def _noise(world: World, orders: Orders, rows: Rows, steps: Arr) -> dict[str, int]:
    """How much honest mess the files hold, for truth.json."""
    a, reg, places = world.arrays(), world.reg, world.places
    legit = np.asarray(reg.legit) & np.asarray(reg.listed)
    zone_users = {int(a.est_op[e]) for e in np.flatnonzero(places.zone_of[a.est_ubigeo] >= 0)
                  if legit[a.est_op[e]] and a.role[a.est_op[e]] == END_USER}
    reps = [r for r, ok in zip(reg.rep, legit, strict=True) if ok]
    phones = [p for p, ok in zip(reg.phone, legit, strict=True) if ok]
    return {
        "late_purchase_declarations": int(((orders["lag"] > 3) & (orders["scheme"] < 0)).sum()),
        "quantity_differences_within_tolerance": int(((orders["buyer_factor"] != 1.0) & (orders["scheme"] < 0)).sum()),
        "purchases_without_shared_document": int((~orders["doc_shared"] & (orders["scheme"] < 0)).sum()),
        "new_companies": int((legit & (a.start > world.cal.start_day)).sum()),
        "closed_companies": int((legit & (a.stop < world.cal.end_day)).sum()),
        "new_plant_flows": int((steps > 1.0).sum()),
        "legit_end_users_in_zones": len(zone_users),
        "legit_shared_representatives": len(reps) - len(set(reps)),
        "legit_shared_phones": len(phones) - len(set(phones)),
        "losses_declared": int((rows["type"] == T["loss"]).sum() - (rows["scheme"][rows["type"] == T["loss"]] >= 0).sum()),
        "declared_by_cas": int(a.est_cas[rows["est"]].sum()),
    }
