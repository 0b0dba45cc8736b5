"""SUNAT's PLE format 12.1, "Registro del inventario permanente en unidades físicas": its
fields, and the two SUNAT tables a line refers to (12, the operation; 6, the unit), with
what each becomes in traza's vocabulary (docs/formats.md, "SUNAT PLE 12.1").

Read from Anexo 2 (structure of book 12.1) and Anexo 3 (tables 6 and 12) of Resolución de
Superintendencia N.º 286-2009/SUNAT as amended, in the transcription of the MuchikNet/PLE
repository (``libros/120100.csv``, ``anexos/3_tabla_12.csv``, ``anexos/3_tabla_6.csv``,
``libros/libros_nombre.csv``). Nothing here is copied from it: the names are SUNAT's."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

# The 19 fields of a line, in order (Anexo 2, "Estructura del Libro 12.1"); fields 20 to 40
# are free use ("campos de libre utilización") and are not read.
FIELDS: Final = (
    "periodo", "CUO", "correlativo del asiento", "código de establecimiento anexo", "código del catálogo",
    "tipo de existencia", "código propio de la existencia", "código del catálogo UNSPSC/GTIN",
    "código UNSPSC/GTIN de la existencia", "fecha de emisión del documento", "tipo de documento",
    "serie del documento", "número del documento", "tipo de operación", "descripción de la existencia",
    "código de la unidad de medida", "entradas", "salidas", "estado de la operación",
)
N_FIELDS: Final = len(FIELDS)
MAX_FIELDS: Final = 40  # with the free-use fields


def field(n: int) -> str:
    """How a refusal names PLE field ``n`` (1-based): ``campo 14 tipo de operación``."""
    return f"campo {n} {FIELDS[n - 1]}"


# SUNAT names a book's file LE + RUC (11) + year, month, day (8: AAAAMM00 for a monthly book)
# + the book's code (120100) + the financial statements' code (00 here) + indicators of
# operations (0, 1, 2), content (1 with information, 0 without), currency (1, 2) and PLE (1).
FILE_NAME: Final = re.compile(r"LE(\d{11})(\d{4})(\d{2})(\d{2})120100(\d{2})([012])([01])([12])(\d)\.txt", re.IGNORECASE)
ANY_BOOK: Final = re.compile(r"LE\d{11}\d{8}(\d{6})\d{6}\.txt", re.IGNORECASE)  # any PLE book, to name the one it is
PERIOD: Final = re.compile(r"\d{4}(0[1-9]|1[0-2])00")
STATUSES: Final = {"1": "of the period", "8": "of an earlier period, not entered then",
                   "9": "of an earlier period, correcting what was entered then"}


@dataclass(frozen=True)
class Operation:
    """A table 12 operation type: the traza movement it is as an entry (campo 17) and as an
    exit (campo 18), or why traza records it as neither."""

    name: str
    entry: str | None = None
    exit: str | None = None
    why: str = ""
    # A balance carried forward: the line is checked, then not recorded and not refused (every
    # monthly book opens with them; refusing them made every file "partial").
    carried: bool = False


_RETURN = "traza has no return type: a return reverses an earlier sale or purchase, declare it in movements.csv"
_GIFT = ("the goods leave to another party without a sale: declare it in movements.csv as a sale "
         "naming the receiver (counterparty_ruc, destination_ubigeo)")
_CORRECTION = "a correction of an item's identification moves no goods"
_SERVICE = "goods held for a production service are another party's: their owner declares them"
_LOAN = "goods lent or held in custody remain their owner's: their owner declares them"
_OTHER = "traza cannot tell what it is: declare the movement in movements.csv"

# Table 12, "Tipo de operación". Only what traza's movement types hold is mapped (sign of each
# in core/types.py); everything else is refused with its reason, never passed over.
OPERATIONS: Final[dict[str, Operation]] = {
    "01": Operation("venta nacional", exit="sale"),
    "02": Operation("compra nacional", entry="purchase"),
    "03": Operation("consignación recibida", entry="transfer_in"),
    "04": Operation("consignación entregada", exit="transfer_out"),
    "05": Operation("devolución recibida", why=_RETURN),
    "06": Operation("devolución entregada", why=_RETURN),
    "07": Operation("bonificación", why=_GIFT),
    "08": Operation("premio", why=_GIFT),
    "09": Operation("donación", why=_GIFT),
    "10": Operation("salida a producción", exit="consumption"),
    "11": Operation("salida por transferencia entre almacenes", exit="transfer_out"),
    "12": Operation("retiro", why=_GIFT),
    "13": Operation("mermas", exit="loss"),
    "14": Operation("desmedros", exit="loss"),
    "15": Operation("destrucción", exit="destruction"),
    "16": Operation("saldo inicial", carried=True),
    "17": Operation("exportación", exit="export"),
    "18": Operation("importación", entry="import"),
    "19": Operation("entrada de producción", entry="production"),
    "20": Operation("entrada por devolución de producción", why=_RETURN),
    "21": Operation("entrada por transferencia entre almacenes", entry="transfer_in"),
    "22": Operation("entrada por identificación errónea", why=_CORRECTION),
    "23": Operation("salida por identificación errónea", why=_CORRECTION),
    "24": Operation("entrada por devolución del cliente", why=_RETURN),
    "25": Operation("salida por devolución al proveedor", why=_RETURN),
    "26": Operation("entrada para servicio de producción", why=_SERVICE),
    "27": Operation("salida por servicio de producción", why=_SERVICE),
    # A shortage a count revealed is a loss; a surplus is no flow traza knows.
    "28": Operation("ajuste por diferencia de inventario", exit="loss",
                    why="a surplus found by a count is no movement: declare the count as a stock_count in movements.csv"),
    "29": Operation("entrada de bienes en préstamo", why=_LOAN),
    "30": Operation("salida de bienes en préstamo", why=_LOAN),
    "31": Operation("entrada de bienes en custodia", why=_LOAN),
    "32": Operation("salida de bienes en custodia", why=_LOAN),
    "33": Operation("muestras médicas", why=_GIFT),
    "34": Operation("publicidad", why=_GIFT),
    "35": Operation("gastos de representación", why=_GIFT),
    "36": Operation("retiro para entrega a trabajadores", why=_GIFT),
    "37": Operation("retiro por convenio colectivo", why=_GIFT),
    "38": Operation("retiro por sustitución de bien siniestrado", why=_GIFT),
    **{f"9{i}": Operation(f"otros {i}", why=_OTHER) for i in range(1, 10)},
}
# Operations between warehouses of the declarant itself: the other party is the declarant.
OWN_TRANSFERS: Final = ("11", "21")

# Table 6, "Código de la unidad de medida": UN/ECE Recommendation 20 codes (field 16 holds up
# to 3 characters). Those of mass and volume become traza's units, with the factor that
# brings the quantity to it; counts and packages need the item's kg_per_unit (its product
# mapping). The first table 6 had two-digit codes (01 kilograms...): not read, see docs.
UNITS: Final[dict[str, tuple[str, float]]] = {
    "KGM": ("kg", 1.0), "GRM": ("kg", 0.001), "LBR": ("kg", 0.45359237), "TNE": ("t", 1.0),
    "LTR": ("l", 1.0), "MLT": ("l", 0.001), "GLL": ("gal", 1.0), "MTQ": ("m3", 1.0),
    "BLL": ("l", 158.987294928),  # the US petroleum barrel, 42 US gallons
}
PIECES: Final = frozenset({"NIU", "C62", "BG", "BX", "BO", "BJ", "CA", "CY", "DR", "PK", "CT", "SA", "BE", "TU"})
