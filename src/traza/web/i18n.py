"""The web UI's words, in Spanish (the default) and English. A missing key shows the key
itself, which the catalogue test catches."""

from __future__ import annotations

LANGS = ("es", "en")

# key: (Spanish, English)
MESSAGES: dict[str, tuple[str, str]] = {
    "app.title": ("traza — Registro de insumos químicos", "traza — Chemical precursor registry"),
    "nav.dashboard": ("Panel", "Dashboard"),
    "nav.alerts": ("Alertas", "Alerts"),
    "nav.cases": ("Casos", "Cases"),
    "nav.rules": ("Reglas", "Rules"),
    "nav.registry": ("Registro", "Registry"),
    "nav.audit": ("Auditoría", "Audit log"),
    "nav.portal": ("Mis declaraciones", "My declarations"),
    "nav.salecheck": ("Verificar una venta", "Check a sale"),
    "nav.skip": ("Saltar al contenido", "Skip to content"),
    "nav.main": ("Navegación principal", "Main navigation"),
    "nav.language": ("Idioma", "Language"),
    "auth.login": ("Ingresar", "Log in"),
    "auth.logout": ("Salir", "Log out"),
    "auth.staff": ("Personal del registro", "Registry staff"),
    "auth.operator": ("Operadores (empresas)", "Operators (companies)"),
    "auth.username": ("Usuario", "Username"),
    "auth.password": ("Contraseña", "Password"),
    "auth.ruc": ("RUC", "RUC"),
    "auth.api_key": ("Clave de API", "API key"),
    "auth.api_key_help": ("La clave que le entregó el registro (empieza con trz_).",
                          "The key the registry gave you (starts with trz_)."),
    "auth.failed": ("Usuario o contraseña incorrectos, o la cuenta está desactivada.",
                    "Wrong username or password, or the account is deactivated."),
    "auth.key_failed": ("El RUC y la clave no corresponden, o la clave fue revocada.",
                        "The RUC and key do not match, or the key was revoked."),
    "auth.signed_in_as": ("Conectado como", "Signed in as"),
    "error.title": ("No se pudo completar", "This could not be done"),
    "error.forbidden": ("Su rol no tiene acceso a esta página. Roles admitidos:",
                        "Your role cannot open this page. Roles admitted:"),
    "error.csrf": ("El formulario caducó o no vino de esta aplicación: recargue la página e inténtelo de nuevo.",
                   "The form expired or did not come from this application: reload the page and try again."),
    "error.not_found": ("No existe:", "Not found:"),
    "error.back": ("Volver", "Back"),
    "common.none": ("Ninguno", "None"),
    "common.all": ("Todos", "All"),
    "common.filter": ("Filtrar", "Filter"),
    "common.save": ("Guardar", "Save"),
    "common.from": ("Desde", "From"),
    "common.to": ("Hasta", "To"),
    "common.kg": ("kg", "kg"),
    "common.date": ("Fecha", "Date"),
    "common.actor": ("Quién", "Who"),
    "common.action": ("Acción", "Action"),
    "common.note": ("Nota", "Note"),
    "common.status": ("Estado", "Status"),
    "common.chemical": ("Sustancia", "Chemical"),
    "common.operator": ("Operador", "Operator"),
    "common.name": ("Nombre", "Name"),
    "common.previous": ("Anterior", "Previous"),
    "common.next": ("Siguiente", "Next"),
    "common.results": ("resultados", "results"),
    "common.done": ("Hecho.", "Done."),
    "dash.title": ("Panel", "Dashboard"),
    "dash.alerts_by_rule": ("Alertas abiertas por regla y severidad", "Open alerts by rule and severity"),
    "dash.volumes": ("Ventas declaradas por sustancia y mes (kg)", "Declared sales per chemical and month (kg)"),
    "dash.top_risk": ("Operadores de mayor riesgo", "Highest-risk operators"),
    "dash.map": ("Entregas en zonas de régimen especial (últimos 12 meses)",
                 "Deliveries into special-regime zones (last 12 months)"),
    "dash.map_help": ("Kilogramos vendidos con destino en cada distrito de las zonas de régimen especial; "
                      "las zonas están delineadas.",
                      "Kilograms sold with each district of the special-regime zones as destination; the "
                      "zones are outlined."),
    "dash.map_none": ("sin entregas", "no deliveries"),
    "dash.up_to": ("Datos hasta", "Data up to"),
    "dash.no_data": ("Aún no hay datos.", "No data yet."),
    "dash.rank": ("N.º", "Rank"),
    "dash.score": ("Puntaje", "Score"),
    "dash.open_alerts": ("Alertas abiertas", "Open alerts"),
    "dash.table": ("Ver como tabla", "Show as a table"),
    "dash.zone": ("zona de régimen especial", "special-regime zone"),
    "dash.district": ("Distrito", "District"),
    "home.no_pages": ("Su rol no tiene páginas en la aplicación web; use la API.",
                      "Your role has no pages in the web application; use the API."),
    "severity.low": ("baja", "low"),
    "severity.medium": ("media", "medium"),
    "severity.high": ("alta", "high"),
    "severity.critical": ("crítica", "critical"),
    "status.open": ("abierta", "open"),
    "status.pending_approval": ("por aprobar", "awaiting approval"),
    "status.closed": ("cerrada", "closed"),
    "outcome.false_positive": ("falso positivo", "false positive"),
    "outcome.useful": ("útil", "useful"),
    "outcome.confirmed_diversion": ("desvío confirmado", "confirmed diversion"),
}


def pick_lang(cookie: str | None, accept_language: str | None) -> str:
    """The remembered choice, else Spanish: the registry's users speak Spanish, whatever
    their browser says."""
    return cookie if cookie in LANGS else "es"


def translate(lang: str, key: str) -> str:
    entry = MESSAGES.get(key)
    if entry is None:
        return key
    return entry[1] if lang == "en" else entry[0]
