"""The web UI's words for the entity page (any RUC seen in the data, registered or not), its
counterparty network and the header search, in Spanish and English; :mod:`traza.web.i18n`
looks them up with the rest."""

from __future__ import annotations

from traza.core.jurisdiction import jurisdiction

_TAX = jurisdiction().tax_id.name

ENTITY: dict[str, tuple[str, str]] = {
    "entity.state.active": ("inscrito", "registered"),
    "entity.state.suspended": ("inscrito, suspendido", "registered, suspended"),
    "entity.state.revoked": ("revocado", "revoked"),
    "entity.state.unregistered": ("no registrado", "not registered"),
    "entity.unregistered_name": (f"{_TAX} no registrado", f"Unregistered {_TAX}"),
    "entity.unregistered_help": (
        "Este contribuyente no figura en el registro: lo que sigue es lo que otros declararon sobre él.",
        "This taxpayer is not in the registry: what follows is what others declared about it."),
    "entity.revoked_help": ("La inscripción de este operador fue revocada.",
                            "This operator's registration was revoked."),
    "entity.no_registration": ("Sin inscripción en el registro: no tiene autorizaciones ni cupo.",
                               "No registration in the registry: it has no authorisations and no quota."),
    "entity.seen": ("Dónde aparece", "Where it appears"),
    "entity.declared": ("Movimientos que declaró", "Movements it declared"),
    "entity.named": ("Movimientos de otros que lo nombran", "Others' movements naming it"),
    "entity.checks": ("Verificaciones de venta", "Sale checks"),
    "entity.not_found": ("No hay ningún dato de este contribuyente (ni en el registro, ni en las declaraciones, "
                         "ni en las alertas):", "There is nothing about this taxpayer (not in the registry, the "
                         "declarations or the alerts):"),
    "entity.bad_ruc": (f"ruc: se esperaba un {_TAX} de {{digits}} dígitos, se recibió",
                       f"ruc: expected a {_TAX} of {{digits}} digits, got"),
    "entity.suppliers": ("Quién le vendió qué", "Who sold it what"),
    "entity.suppliers_help": ("Ventas y transferencias que los vendedores declararon a su nombre.",
                              "Sales and transfers the sellers declared to it."),
    "entity.seller": ("Vendedor", "Seller"),
    "entity.movements": ("Movimientos", "Movements"),
    "entity.first": ("Primera", "First"),
    "entity.last": ("Última", "Last"),
    "entity.no_suppliers": ("Nadie declaró ventas a este contribuyente.", "Nobody declared sales to this taxpayer."),
    "entity.destinations": ("Dónde se entregó", "Where it was delivered"),
    "entity.district": ("Distrito", "District"),
    "entity.zone": ("Zona de régimen especial", "Special-regime zone"),
    "entity.no_destination": ("sin destino declarado", "no destination declared"),
    "entity.latest": ("Últimas entregas", "Latest deliveries"),
    "entity.shared": ("Identidades compartidas", "Shared identities"),
    "entity.shared_help": ("Otros operadores inscritos con el mismo representante, teléfono o correo.",
                           "Other registered operators with the same representative, phone or e-mail."),
    "entity.shared_none": ("Ningún otro operador comparte su representante, teléfono o correo.",
                           "No other operator shares its representative, phone or e-mail."),
    "entity.shared_unregistered": ("Sin inscripción: no hay datos de identidad que comparar.",
                                   "Not registered: there are no identity details to compare."),
    "entity.shared.representative": ("representante", "representative"),
    "entity.shared.phone": ("teléfono", "phone"),
    "entity.shared.email": ("correo", "e-mail"),
    "entity.no_ledger": ("No declaró movimientos.", "It declared no movements."),
    "entity.no_cases": ("Ningún caso.", "No cases."),
    "graph.empty": ("Sin contrapartes en el periodo.", "No counterparties in the period."),
    "graph.legend": ("Leyenda", "Legend"),
    "graph.centre": ("este contribuyente", "this taxpayer"),
    "graph.registered": ("inscrito", "registered"),
    "graph.unregistered": ("no registrado", "not registered"),
    "graph.revoked": ("revocado o suspendido", "revoked or suspended"),
    "graph.size": ("tamaño: kg intercambiados con él (escala logarítmica)",
                   "size: kg traded with it (logarithmic scale)"),
    "graph.edges": ("flecha: del vendedor al comprador; grosor: kg", "arrow: from seller to buyer; width: kg"),
    "graph.hover": ("Pase el cursor sobre un nodo para ver su nombre completo; haga clic para abrir su página.",
                    "Hover over a node to see its full name; click to open its page."),
    "search.label": ("Buscar RUC o nombre", "Search RUC or name"),
    "search.button": ("Buscar", "Search"),
    "search.title": ("Búsqueda", "Search"),
    "search.help": ("Escriba el comienzo de un RUC (al menos 2 dígitos) o parte de un nombre inscrito.",
                    "Type the start of a RUC (at least 2 digits) or part of a registered name."),
    "search.none": ("Sin resultados para", "No results for"),
    "search.results": ("Resultados para", "Results for"),
    "search.more": ("Se muestran los primeros {n}: precise la búsqueda.", "The first {n} are shown: narrow the search."),
    "search.open_registry": ("ver en el registro", "see in the registry"),
}
