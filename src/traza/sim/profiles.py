"""The legitimate economy's shape: who uses which chemical, how much, where and when.

Figures are plausible orders of magnitude for Peru, not statistics: they exist so that
detection meets a varied, seasonal, growing economy whose honest outliers look like fraud.
``docs/simulator.md`` prints this table and the tests hold the generated data to the
documented ranges.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from traza.core.vocab import INFERRED_ROLES

# Supply-chain roles. Sectors map to a role; the role decides how an operator's ledger is built.
IMPORTER, PRODUCER, DISTRIBUTOR, END_USER = 0, 1, 2, 3
ROLE_NAMES: Final = INFERRED_ROLES  # the words detection infers them by (core.vocab)


@dataclass(frozen=True)
class Use:
    chemical: str
    probability: float  # share of the sector's establishments that hold the chemical
    monthly_kg: float  # median monthly purchase of one establishment of an average-size operator


@dataclass(frozen=True)
class SectorProfile:
    sector: str
    role: int
    share: float  # share of the registry's operators
    departments: dict[str, float]
    mix: tuple[Use, ...]
    orders_per_month: float
    zone_share: float = 0.0  # establishments placed inside special-regime zones
    # Documented range of the median, over establishments and the months they buy, of one
    # establishment's monthly purchases in kg: the tests hold generated data to it and
    # docs/simulator.md prints it.
    monthly_kg_range: tuple[float, float] = (0.0, 0.0)
    seasonality: tuple[float, ...] = (1.0,) * 12
    name_words: tuple[str, ...] = ("Comercial",)


MINING_DEPTS: Final = {"AREQUIPA": 0.3, "CAJAMARCA": 0.2, "LA LIBERTAD": 0.15, "JUNIN": 0.15, "PASCO": 0.2}
LIMA_INDUSTRY: Final = {"LIMA_METRO": 0.85, "AREQUIPA": 0.08, "LA LIBERTAD": 0.07}
NATIONAL: Final = {
    "LIMA_METRO": 0.3, "AREQUIPA": 0.07, "LA LIBERTAD": 0.06, "PIURA": 0.06, "LAMBAYEQUE": 0.05,
    "JUNIN": 0.05, "CUSCO": 0.05, "CAJAMARCA": 0.04, "ICA": 0.04, "PUNO": 0.04, "ANCASH": 0.04,
    "HUANUCO": 0.03, "AYACUCHO": 0.03, "SAN MARTIN": 0.03, "UCAYALI": 0.02, "LORETO": 0.03,
    "TACNA": 0.02, "MOQUEGUA": 0.01, "PASCO": 0.01, "APURIMAC": 0.01, "HUANCAVELICA": 0.01,
    "AMAZONAS": 0.01, "TUMBES": 0.01, "MADRE DE DIOS": 0.01,
}
FARMING: Final = {
    "ICA": 0.15, "PIURA": 0.12, "LA LIBERTAD": 0.1, "LAMBAYEQUE": 0.08, "JUNIN": 0.1, "SAN MARTIN": 0.1,
    "CUSCO": 0.08, "HUANUCO": 0.07, "AYACUCHO": 0.06, "CAJAMARCA": 0.06, "UCAYALI": 0.04, "AREQUIPA": 0.04,
}

# Seasonal multipliers, January first. Rainy season (Jan-Mar) slows mining and raises water
# treatment; planting (Sep-Dec) drives farm stores; construction peaks in the dry months.
FLAT: Final = (1.0,) * 12
RAINY_DIP: Final = (0.85, 0.85, 0.9, 1.0, 1.05, 1.05, 1.05, 1.05, 1.05, 1.05, 1.0, 1.0)
RAINY_PEAK: Final = (1.25, 1.3, 1.2, 1.0, 0.9, 0.85, 0.85, 0.85, 0.9, 0.95, 1.0, 1.15)
PLANTING: Final = (0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.9, 1.0, 1.3, 1.4, 1.3, 1.2)
YEAR_END: Final = (0.9, 0.9, 0.95, 0.95, 1.0, 1.0, 1.0, 1.0, 1.0, 1.05, 1.15, 1.3)
DRY_SEASON: Final = (0.85, 0.85, 0.9, 1.0, 1.05, 1.1, 1.1, 1.1, 1.05, 1.0, 1.0, 1.0)
WINTER: Final = (0.95, 0.95, 0.95, 1.0, 1.05, 1.1, 1.1, 1.05, 1.0, 0.95, 0.95, 0.95)


def _mix(*uses: tuple[str, float, float]) -> tuple[Use, ...]:
    return tuple(Use(c, p, kg) for c, p, kg in uses)


PROFILES: Final[dict[str, SectorProfile]] = {p.sector: p for p in (
    SectorProfile("importer", IMPORTER, 0.035, {"CALLAO": 0.6, "LIMA_METRO": 0.4}, (), 0.0,
                  name_words=("Importaciones", "Química", "Insumos", "Trading")),
    SectorProfile("chemical_mfg", PRODUCER, 0.03,
                  {"LIMA_METRO": 0.5, "CALLAO": 0.15, "AREQUIPA": 0.1, "MOQUEGUA": 0.1, "ICA": 0.1, "PIURA": 0.05},
                  (), 0.0, name_words=("Industrias", "Química", "Fundición", "Cementos")),
    SectorProfile("distributor", DISTRIBUTOR, 0.12, NATIONAL, (), 0.0,
                  name_words=("Distribuidora", "Comercializadora", "Depósito", "Química")),
    SectorProfile("mining", END_USER, 0.09, MINING_DEPTS, _mix(
        ("sulfuric_acid", 0.6, 60000), ("calcium_oxide", 0.8, 45000), ("sodium_hydroxide", 0.3, 6000),
        ("hydrochloric_acid", 0.3, 3000), ("kerosene", 0.35, 5000), ("sodium_carbonate", 0.2, 5000),
        ("sodium_metabisulfite", 0.25, 3000)), 3.0, 0.0, (25000, 100000), RAINY_DIP,
        ("Minera", "Compañía Minera", "Minas")),
    SectorProfile("fuel", END_USER, 0.08, NATIONAL, _mix(
        ("kerosene", 0.95, 18000), ("hexane", 0.1, 2000), ("toluene", 0.1, 1500), ("xylene", 0.1, 1500)),
        3.0, 0.05, (8000, 32000), WINTER, ("Grifo", "Combustibles", "Estación de Servicios")),
    SectorProfile("transport", END_USER, 0.06, NATIONAL, _mix(
        ("kerosene", 0.8, 4000), ("xylene", 0.15, 400), ("methanol", 0.1, 300)),
        2.0, 0.0, (1700, 7000), FLAT, ("Transportes", "Logística", "Carga")),
    SectorProfile("textile", END_USER, 0.075, LIMA_INDUSTRY, _mix(
        ("sulfuric_acid", 0.4, 1500), ("hydrochloric_acid", 0.5, 1200), ("sodium_carbonate", 0.7, 3000),
        ("sodium_hydroxide", 0.6, 2500), ("sodium_hypochlorite", 0.5, 2000), ("formic_acid", 0.3, 600),
        ("sodium_sulfate", 0.4, 2000), ("sodium_metabisulfite", 0.3, 400),
        ("potassium_permanganate", 0.25, 150)), 1.5, 0.0, (3000, 12000), YEAR_END,
        ("Textil", "Tejidos", "Lavandería Industrial", "Tintorería")),
    SectorProfile("paint", END_USER, 0.065, LIMA_INDUSTRY, _mix(
        ("toluene", 0.7, 3000), ("xylene", 0.7, 2500), ("acetone", 0.5, 1500),
        ("methyl_ethyl_ketone", 0.5, 1200), ("methyl_isobutyl_ketone", 0.3, 800),
        ("ethyl_acetate", 0.5, 1500), ("n_propyl_acetate", 0.3, 700), ("isopropanol", 0.3, 600),
        ("hexane", 0.2, 500)), 1.5, 0.0, (3000, 12000), DRY_SEASON,
        ("Pinturas", "Recubrimientos", "Barnices")),
    SectorProfile("pharma", END_USER, 0.055, LIMA_INDUSTRY, _mix(
        ("acetone", 0.6, 600), ("ethyl_acetate", 0.4, 400), ("isopropanol", 0.6, 500),
        ("methanol", 0.5, 500), ("hydrochloric_acid", 0.5, 200), ("diethyl_ether", 0.2, 100),
        ("toluene", 0.2, 200), ("sulfuric_acid", 0.3, 150), ("ammonium_chloride", 0.2, 100),
        ("sodium_hydroxide", 0.3, 200)), 1.0, 0.0, (500, 2500), FLAT,
        ("Laboratorios", "Farmacéutica", "Droguería")),
    SectorProfile("food", END_USER, 0.1, {
        "LIMA_METRO": 0.45, "LA LIBERTAD": 0.1, "AREQUIPA": 0.1, "PIURA": 0.08, "LAMBAYEQUE": 0.08,
        "ICA": 0.1, "JUNIN": 0.09}, _mix(
        ("sodium_carbonate", 0.5, 1500), ("sodium_bicarbonate", 0.7, 2000), ("hydrochloric_acid", 0.3, 500),
        ("sulfuric_acid", 0.2, 400), ("sodium_hydroxide", 0.4, 800), ("calcium_chloride", 0.3, 500),
        ("sodium_metabisulfite", 0.4, 300), ("calcium_oxide", 0.2, 800), ("hexane", 0.1, 2000)),
        1.5, 0.03, (1400, 6000), YEAR_END, ("Alimentos", "Panificadora", "Conservas", "Bebidas")),
    SectorProfile("water_treatment", END_USER, 0.035, NATIONAL, _mix(
        ("sodium_hypochlorite", 0.9, 12000), ("potassium_permanganate", 0.5, 600),
        ("calcium_oxide", 0.5, 8000), ("sulfuric_acid", 0.2, 3000), ("sodium_hydroxide", 0.2, 2000),
        ("sodium_carbonate", 0.3, 4000)), 2.0, 0.08, (7000, 30000), RAINY_PEAK,
        ("EPS", "Agua Potable", "Saneamiento")),
    SectorProfile("laboratory", END_USER, 0.075, {
        "LIMA_METRO": 0.6, "AREQUIPA": 0.1, "LA LIBERTAD": 0.08, "CUSCO": 0.06, "PIURA": 0.06,
        "JUNIN": 0.05, "LAMBAYEQUE": 0.05}, _mix(
        ("acetone", 0.6, 40), ("hydrochloric_acid", 0.7, 30), ("sulfuric_acid", 0.7, 40),
        ("nitric_acid", 0.5, 25), ("methanol", 0.5, 30), ("diethyl_ether", 0.3, 10), ("toluene", 0.3, 15),
        ("hexane", 0.3, 20), ("potassium_permanganate", 0.3, 5), ("ammonia", 0.3, 20),
        ("isopropanol", 0.4, 20), ("ethyl_acetate", 0.3, 15)), 0.5, 0.0, (60, 260), FLAT,
        ("Laboratorio", "Análisis", "Certificaciones")),
    SectorProfile("agriculture", END_USER, 0.09, FARMING, _mix(
        ("calcium_oxide", 0.6, 2500), ("kerosene", 0.3, 700), ("ammonia", 0.2, 400),
        ("sulfuric_acid", 0.15, 400), ("potassium_carbonate", 0.1, 200), ("cement", 0.5, 4000),
        ("salt", 0.3, 1500)), 1.0, 0.15, (1100, 4500), PLANTING, ("Agroservicios", "Agroveterinaria", "Fundo")),
    SectorProfile("other", END_USER, 0.05, NATIONAL, _mix(
        ("cement", 0.7, 15000), ("calcium_oxide", 0.4, 2500), ("salt", 0.3, 2000),
        ("sodium_hypochlorite", 0.3, 500), ("kerosene", 0.2, 500)), 1.0, 0.25, (1300, 5500), DRY_SEASON,
        ("Constructora", "Ferretería", "Inversiones")),
)}

SPECIAL_REGIME: Final = frozenset({"cement", "salt"})
# What Callao's importers bring in and where from (ISO 3166-1 alpha-2).
IMPORTED: Final[dict[str, tuple[str, ...]]] = {
    "acetone": ("US", "KR", "TW", "MX"), "ethyl_acetate": ("CN", "IN", "MX"), "n_propyl_acetate": ("US", "DE"),
    "hydrochloric_acid": ("CL", "US"), "nitric_acid": ("CL", "US", "BE"), "formic_acid": ("DE", "CN", "FI"),
    "acetic_anhydride": ("US", "DE"), "ammonia": ("TT", "US", "RU"), "benzene": ("US", "KR"),
    "toluene": ("US", "KR", "CO", "BR"), "xylene": ("US", "KR", "CO"), "hexane": ("US", "AR", "BR"),
    "diethyl_ether": ("DE", "CN"), "methyl_ethyl_ketone": ("TW", "JP", "US"),
    "methyl_isobutyl_ketone": ("US", "BE", "KR"), "methanol": ("TT", "CL", "VE"), "isopropanol": ("US", "DE", "CN"),
    "potassium_permanganate": ("CN", "IN", "US"), "sodium_carbonate": ("US", "CN", "TR"),
    "sodium_bicarbonate": ("CN", "US", "MX"), "potassium_carbonate": ("DE", "KR", "CN"),
    "sodium_sulfate": ("CN", "ES", "MX"), "ammonium_chloride": ("CN", "IN"),
    "sodium_hydroxide": ("US", "CN", "BR"), "calcium_chloride": ("CN", "US", "CL"),
    "sulfamic_acid": ("CN", "DE"), "sodium_metabisulfite": ("CN", "DE", "IT"), "sulfuric_acid": ("CL", "JP"),
}
# Made in Peru: sulfuric acid at the smelters, lime and cement at the kilns, kerosene at the
# refineries, hypochlorite and hydrochloric acid at the chlor-alkali plants, salt at the pans.
PRODUCED: Final = ("sulfuric_acid", "calcium_oxide", "cement", "kerosene", "sodium_hypochlorite",
                   "hydrochloric_acid", "salt")
EXPORT_DESTINATIONS: Final = ("CL", "BO", "EC", "CO", "US")

# Notional single-purchase threshold (kg) the structuring scheme stays just under; legitimate
# packaging makes round quantities at exactly these values common too.
THRESHOLD_KG: Final[dict[str, float]] = {
    "potassium_permanganate": 100.0, "acetone": 1000.0, "diethyl_ether": 200.0, "methyl_ethyl_ketone": 1000.0,
    "hydrochloric_acid": 1000.0, "sulfuric_acid": 2000.0, "kerosene": 2000.0, "toluene": 1000.0,
    "calcium_oxide": 5000.0, "sodium_carbonate": 2000.0, "cement": 10000.0,
}


def role_of(sector: str) -> int:
    return PROFILES[sector].role
