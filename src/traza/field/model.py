"""The field record kinds: what each file row or GeoJSON feature holds, where it is stored.

One ``Kind`` per table of migration 0005. Columns are the public file format (docs/formats.md,
"Field operations"); the loader (``traza.field.load``) validates a row against its kind and
the geometry rules (``traza.field.geometry``). Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass

# Hectares "if planted" per m2 of seedbed: 15 m2 of seedbed plant about one hectare (the report's
# 18,015 m2 -> "over 1,200 ha"); a convention, not a regulation, so it is a setting.
SEEDBED_M2_PER_HA = 15.0
# A plot's computed area may differ from the area the brigade reported by this fraction.
AREA_TOLERANCE = 0.25
# A plot may lie this far (km) outside its district's simplified boundary (survey error and
# the simplification of the shipped polygons).
DISTRICT_MARGIN_KM = 2.0

MODALITIES = ("forced", "voluntary")
VULNERABLE_ZONES = ("native_community", "buffer_zone", "protected_area", "forest_concession")
ROLES = ("registrant", "representative")
INCIDENT_TYPES = ("ambush", "rock_throwing", "firearm", "explosive", "blockade", "aircraft_damage")
SUBSTANCES = ("cocaine_hcl", "base_paste", "coca_leaf", "precursor", "other")
LAB_TYPES = ("maceration_pit", "base_paste", "cocaine_hcl", "recycling")
CASUALTY_COLUMNS = tuple(f"{g}_{x}" for g in ("police", "eradicators", "civilians", "attackers")
                         for x in ("wounded", "killed"))


@dataclass(frozen=True)
class Kind:
    name: str
    table: str
    key: str                      # the natural id column
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    versioned: bool = False       # a new content under a known id is a new version, not a refusal

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


GOALS = Kind("goals", "field_goals", "goal_id", ("goal_id", "year"),
             ("month", "axis", "ubigeo", "hectares", "seedbed_m2", "resolution"))
OPERATIONS = Kind("operations", "field_operations", "operation_id",
                  ("operation_id", "date", "axis", "ubigeo", "modality"),
                  ("coca_area", "brigade", "eradicators", "police", "goal_id"))
PLOTS = Kind("plots", "field_plots", "plot_id", ("plot_id", "date", "ubigeo"),
             ("operation_id", "wkt", "gps_points", "latitude", "longitude", "reported_ha", "replanted",
              "vulnerable_zone", "certificate_id"))
SEEDBEDS = Kind("seedbeds", "field_seedbeds", "seedbed_id", ("seedbed_id", "date", "ubigeo", "area_m2"),
                ("operation_id", "latitude", "longitude"))
MEASUREMENTS = Kind("measurements", "field_measurements", "measurement_id",
                    ("measurement_id", "date", "ubigeo", "measured_ha"), ("community", "imagery_source"))
CERTIFICATES = Kind("certificates", "enaco_certificate_versions", "certificate_id",
                    ("certificate_id", "holder_name", "holder_document", "role", "registration_year",
                     "declared_ha", "declared_ubigeo"),
                    ("verified_ha", "holder_deceased", "representative_verified"), versioned=True)
INCIDENTS = Kind("incidents", "field_incidents", "incident_id", ("incident_id", "date", "ubigeo", "type"),
                 ("operation_id", "aircraft", "aircraft_damaged", *CASUALTY_COLUMNS, "eradication_halted",
                  "description"))
LABS = Kind("labs", "field_labs", "lab_id", ("lab_id", "date", "ubigeo", "type"),
            ("latitude", "longitude", "destroyed"))
SEIZURES = Kind("seizures", "field_seizures", "seizure_id",
                ("seizure_id", "date", "ubigeo", "substance", "quantity", "unit"),
                ("lab_id", "chemical", "lot_ref", "seller_ruc", "arrests", "weapons"))

KINDS: dict[str, Kind] = {k.name: k for k in (GOALS, OPERATIONS, PLOTS, SEEDBEDS, MEASUREMENTS, CERTIFICATES,
                                             INCIDENTS, LABS, SEIZURES)}
_SPECIFIC_FIRST = ("plots", "seedbeds", "incidents", "seizures", "labs", "measurements", "certificates",
                   "operations", "goals")
# Loaded in this order within a call, so that plots may name operations of the same call.
LOAD_ORDER = ("goals", "certificates", "operations", "measurements", "plots", "seedbeds", "labs",
              "seizures", "incidents")


def kind_of(columns: list[str]) -> Kind | None:
    """The kind whose id column the header names. A row may name other kinds' ids (a plot names
    its operation and certificate), so the kinds are tried from the most specific."""
    for name in _SPECIFIC_FIRST:
        k = KINDS[name]
        if k.key in columns:
            return k
    return None


def hectares_if_planted(seedbed_m2: float, m2_per_ha: float = SEEDBED_M2_PER_HA) -> float:
    """Hectares a seedbed would have planted: the report's convention, 15 m2 per hectare."""
    if m2_per_ha <= 0:
        raise ValueError("m2_per_ha must be positive")
    return seedbed_m2 / m2_per_ha
