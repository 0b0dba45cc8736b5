"""Plausible Peruvian names, addresses, phones and e-mails for synthetic operators."""

from __future__ import annotations

import unicodedata

import numpy as np

CORES = (
    "Andina", "del Sur", "del Norte", "del Centro", "Los Andes", "Pacífico", "Inca", "Mantaro",
    "Chavín", "Amazónica", "Rímac", "El Sol", "La Libertad", "Misti", "Huascarán", "Titicaca",
    "Oriente", "Costa Verde", "Paracas", "Nazca", "Vilcanota", "San Pedro", "Santa Lucía",
    "Santa Rosa", "San Martín", "Virgen de Fátima", "Señor de Luren", "Perú", "Continental",
    "Universal", "Los Álamos", "Las Palmeras", "Sierra Azul", "Huallaga", "Marañón", "Ucayali",
    "Kallpa", "Qhapaq", "Illari", "Wayra", "Intipa", "Sumaq", "Tawa", "Pachacútec", "Atahualpa",
    "Moche", "Chimú", "Tiahuanaco", "Caral", "Kuélap", "Chan Chan", "Vitarte", "Cañete", "Lurín",
)
SURNAMES = (
    "Quispe", "Huamán", "Flores", "Rojas", "Mamani", "García", "Torres", "Chávez", "Ramírez",
    "Sánchez", "Vásquez", "Castillo", "Mendoza", "Gutiérrez", "Díaz", "Espinoza", "Vargas",
    "Ccori", "Condori", "Salazar", "Paredes", "Cárdenas", "Yupanqui", "Huaranga", "Palomino",
)
GIVEN = ("Juan", "María", "Luis", "Rosa", "Carlos", "Ana", "Jorge", "Elena", "Pedro", "Lucía",
         "Víctor", "Carmen", "Raúl", "Gladys", "Wilber", "Yolanda", "Edwin", "Marisol")
SUFFIXES = ("S.A.C.", "S.A.C.", "S.A.C.", "S.A.", "E.I.R.L.", "S.R.L.", "S.A.A.")
STREETS = ("Av.", "Av.", "Jr.", "Calle", "Carretera", "Mz.")
STREET_NAMES = (
    "Argentina", "Colonial", "Nicolás Ayllón", "Industrial", "Los Frutales", "Santa Rosa",
    "Grau", "Bolognesi", "Túpac Amaru", "Huayna Cápac", "Los Incas", "La Marina", "Próceres",
    "Central", "Panamericana Sur", "Panamericana Norte", "Tacna", "Arequipa", "28 de Julio",
    "Ejército", "Los Pinos", "Mariscal Castilla", "Sánchez Cerro", "Jorge Chávez",
)
DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.es")


def _pick(rng: np.random.Generator, options: tuple[str, ...], n: int) -> list[str]:
    return [options[i] for i in rng.integers(0, len(options), n)]


def company_names(rng: np.random.Generator, words: tuple[str, ...], n: int) -> list[str]:
    w, c = _pick(rng, words, n), _pick(rng, CORES, n)
    s, suffix = _pick(rng, SURNAMES, n), _pick(rng, SUFFIXES, n)
    with_surname = rng.random(n) < 0.3
    return [
        f"{w[i]} {s[i] + ' ' if with_surname[i] else ''}{c[i]} {suffix[i]}" for i in range(n)
    ]


def person_names(rng: np.random.Generator, n: int) -> list[str]:
    g, a, b = _pick(rng, GIVEN, n), _pick(rng, SURNAMES, n), _pick(rng, SURNAMES, n)
    return [f"{a[i]} {b[i]} {g[i]}".upper() for i in range(n)]


def addresses(rng: np.random.Generator, n: int) -> list[str]:
    t, s = _pick(rng, STREETS, n), _pick(rng, STREET_NAMES, n)
    num = rng.integers(1, 4000, n)
    lote = rng.random(n) < 0.2
    return [
        f"{t[i]} {s[i]} {num[i]}" + (f" Lt. {num[i] % 30 + 1}" if lote[i] else "") for i in range(n)
    ]


def phones(rng: np.random.Generator, n: int, lima: np.ndarray) -> list[str]:
    mobile = rng.integers(900_000_000, 1_000_000_000, n)
    land = rng.integers(2_000_000, 8_000_000, n)
    use_land = (rng.random(n) < 0.4) & lima
    return [f"01{land[i]}" if use_land[i] else f"{mobile[i]}" for i in range(n)]


def slug(name: str) -> str:
    ascii_ = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    words = [w for w in ascii_.lower().replace(".", " ").split() if w.isalpha() and len(w) > 2]
    return "".join(words[:2]) or "contacto"


def emails(rng: np.random.Generator, names: list[str]) -> list[str]:
    n = len(names)
    own = rng.random(n) < 0.6
    dom = _pick(rng, DOMAINS, n)
    box = _pick(rng, ("ventas", "contabilidad", "logistica", "gerencia", "administracion"), n)
    return [
        f"{box[i]}@{slug(names[i])}.com.pe" if own[i] else f"{slug(names[i])}{i % 97}@{dom[i]}"
        for i in range(n)
    ]
