"""Which lines are controlled chemicals, and how sure traza is (pure: no database)."""

from __future__ import annotations

import time

import pytest

from traza.core.catalogue import default_catalogue
from traza.ingest.ubl.classify import REVIEW, SURE, default_classifier

C = default_classifier()


@pytest.mark.parametrize(("description", "chemical"), [
    ("ACIDO SULFURICO 98% CILINDRO 250 KG", "sulfuric_acid"),
    ("AC. MURIATICO 33%", "hydrochloric_acid"),
    ("Ácido clorhídrico", "hydrochloric_acid"),
    ("CAL VIVA EN BOLSAS", "calcium_oxide"),
    ("QUEROSENE", "kerosene"),
    ("SODA CAUSTICA EN ESCAMAS", "sodium_hydroxide"),
    ("SODA CAUSTICA (HIDROXIDO DE SODIO)", "sodium_hydroxide"),
    ("ACETONA - 500.50 BALDE - 500.50 BALAS", "acetone"),
    ("metil etil cetona", "methyl_ethyl_ketone"),
])
def test_clear_descriptions_are_sure(description: str, chemical: str) -> None:
    v = C.classify(description, None, None, None)
    assert (v.chemical, v.band, v.method) == (chemical, "sure", "description")
    assert v.confidence >= SURE


@pytest.mark.parametrize(("description", "guess"), [
    ("ACETOMA", "acetone"),  # a typo
    ("CAL HIDRATADA BOLSA 25KG", "calcium_oxide"),  # another substance
    ("REMOVEDOR A BASE DE ACETONA", "acetone"),  # a product that contains it
    ("SAL DE MESA", "salt"),
    ("ETER DE PETROLEO", "diethyl_ether"),
])
def test_doubtful_descriptions_go_to_review(description: str, guess: str) -> None:
    v = C.classify(description, None, None, None)
    assert (v.chemical, v.band) == (guess, "review"), v
    assert REVIEW <= v.confidence < SURE
    assert description in v.evidence


@pytest.mark.parametrize("description", ["BIDON DE AGUA", "PROD 1", "THINNER ACRILICO", "HIDROXIDO DE CALCIO",
                                         "Grated *; Atun *; agua y sal *; 1/2 LB"])
def test_other_goods_are_not_chemicals(description: str) -> None:
    assert C.classify(description, None, None, None).band == "out"


def test_cas_number_is_certain() -> None:
    v = C.classify("PRODUCTO X", None, "7664-93-9", None)
    assert (v.chemical, v.confidence, v.method, v.source) == ("sulfuric_acid", 1.0, "cas", "cas")


def test_tariff_heading_of_one_chemical_is_sure() -> None:
    v = C.classify("PRODUCTO X", "2807001000", None, "1")
    assert (v.chemical, v.band, v.method, v.source) == ("sulfuric_acid", "sure", "tariff", "tariff")


def test_shared_tariff_heading_needs_the_description() -> None:
    diesel = C.classify("PETROLEO DIESEL B5", "2710193800", None, "1")
    assert (diesel.chemical, diesel.band) == ("kerosene", "review") and "diesel" in diesel.evidence
    kerosene = C.classify("KEROSENE INDUSTRIAL", "2710191400", None, "1")
    assert (kerosene.chemical, kerosene.band) == ("kerosene", "sure")


def test_tariff_and_description_that_disagree_go_to_review() -> None:
    v = C.classify("ACETONA PURA", "2807001000", None, None)
    assert (v.chemical, v.band) == ("sulfuric_acid", "review") and "acetone" in v.evidence


def test_flag_7022_moves_a_plausible_match_and_0_holds_one_back() -> None:
    assert C.classify("ACIDO SULFURICO MARCA QUIMPAC NACIONAL", None, None, None).band == "review"
    assert C.classify("ACIDO SULFURICO MARCA QUIMPAC NACIONAL", None, None, "1").band == "sure"
    held = C.classify("ACETONA", None, None, "0")
    assert held.band == "review" and "7022=0" in held.evidence


def test_every_catalogue_chemical_is_recognised_by_its_spanish_name() -> None:
    for chem in default_catalogue().chemicals:
        v = C.classify(chem.name_es.upper(), None, None, None)
        assert (v.chemical, v.band) == (chem.code, "sure"), (chem.code, v)


def test_distinct_descriptions_classify_fast() -> None:
    # Lot numbers make most descriptions distinct: each is matched, not found in the cache.
    started = time.perf_counter()
    for i in range(3000):
        C.classify(f"ACIDO SULFURICO LOTE {i} CILINDRO DE 250 KG MARCA GENERICA {i * 7}", None, None, None)
    assert time.perf_counter() - started < 5.0  # about 0.2 ms each on the development machine
