"""Which invoice and guide lines are controlled chemicals, and how sure traza is of it.

The evidence, strongest first:

0. the operator's product mapping (seller item code to chemical, ``product_mappings.csv``):
   certain. It lives in the database, so it is applied in SQL at load time
   (``ubl/stage.py``) and overrides everything below;
1. a valid CAS number on the line (an item identification, a property or the text): certain;
2. the tariff subheading (item property 7020): its HS heading names one catalogue
   chemical. A heading that also covers other goods (kerosene's 2710.19 covers diesel and
   lubricating oils too) counts only when the description agrees;
3. the description, matched against the catalogue's names and synonyms (rapidfuzz, accents
   and case ignored). Its confidence is the similarity times how much of the description
   the match explains: packaging, grade and quantity words are neutral, other words lower
   it (twice as much after a one-word name such as ``sal``), and words that make it another
   product (``cal hidratada``, ``removedor``) lower it more.

Confidence at or above ``SURE`` makes a chemical line (a movement); between ``REVIEW`` and
``SURE`` the line goes to the review list, never silently in or out; below, it is not a
chemical. The 7022 flag ("bien regulado por SUNAT") moves a plausible match up when it is
1, and keeps a description-only match out of the ledger (in review) when it is 0.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from traza.core.catalogue import Catalogue, default_catalogue

SURE, REVIEW = 0.9, 0.6
_WORD_MIN = 75  # below this similarity two words are different words

# HS headings that hold more than the catalogue's chemical: the heading alone cannot say.
SHARED_HEADINGS = {
    "2710.19": "other medium and heavy petroleum oils (diesel, fuel oil, lubricants)",
    "2501.00": "every kind of salt",
    "2811.19": "other inorganic acids",
    "2915.39": "other esters of acetic acid",
    "2828.90": "other hypochlorites, chlorites and hypobromites",
}



def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Words that say nothing about what the substance is: packaging, grade, form, quantity.
NEUTRAL = _words("""
    a al con de del el en la las los para por x y o e n nro no num lote cod codigo marca tipo
    puro pura grado tecnico tecnica industrial comercial qp pa acs usp reactivo analitico analitica
    concentrado concentrada solucion granel liquido liquida solido solida escamas perlas polvo
    granulado granulada anhidro anhidra fumante calidad premium extra estandar standard
    balde baldes bidon bidones cilindro cilindros tambor tambores saco sacos bolsa bolsas caja cajas
    botella botellas frasco frascos galonera galoneras galon galones isotanque isotanques cisterna
    contenedor ibc tote bala balas envase envases tanque tanques bigbag big bag drum drums pail bulk
    kg kgs kilo kilos kilogramo kilogramos lt lts l litro litros gl gal ml tm t ton tn toneladas m3
    und unid unidad unidades pza pzas
""")
# Words that make it another product, or a product that merely contains the chemical.
OTHER_PRODUCT = _words("""
    hidratada hidratado apagada apagado hidroxido removedor quitaesmalte thinner diluyente mezcla
    blend pintura barniz laca tinta adhesivo pegamento resina detergente jabon shampoo fertilizante
    abono alimento medicamento cosmetico perfume esmalte
""")
_EXPAND = {"ac": "acido", "sol": "solucion", "bicarb": "bicarbonato", "hipoc": "hipoclorito"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def normalise(text: str) -> list[str]:
    """Lower case, no accents, words of letters and digits, common abbreviations expanded."""
    t = unicodedata.normalize("NFKD", text.lower())
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    return [_EXPAND.get(w, w) for w in _NON_ALNUM.sub(" ", t).split()]


@dataclass(frozen=True)
class Verdict:
    chemical: str | None  # the best guess, also when unsure
    confidence: float
    method: str  # cas, tariff, description or none
    band: str  # sure, review or out
    evidence: str  # what the decision rests on, for the review list
    source: str  # the line field it rests on (cas, tariff, description), for the XPath


@dataclass(frozen=True)
class _Match:
    chemical: str
    confidence: float
    alias: str


def _band(confidence: float) -> str:
    return "sure" if confidence >= SURE else "review" if confidence >= REVIEW else "out"


class Classifier:
    """Line classification against one catalogue; pure, and cached per distinct input."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.by_cas = {c.cas: c.code for c in catalogue.chemicals}
        self.by_heading: dict[str, list[str]] = {}
        for c in catalogue.chemicals:
            for h in c.hs:
                self.by_heading.setdefault(h, []).append(c.code)
        aliases: dict[tuple[str, ...], str] = {}
        self.words: dict[str, set[str]] = {}  # every word of every name of a chemical
        for c in catalogue.chemicals:
            names = (re.sub(r"\(.*?\)", " ", c.name_es), re.sub(r"\(.*?\)", " ", c.name_en),
                     c.code.replace("_", " "), *c.synonyms)
            for name in names:
                toks = tuple(normalise(name))
                if toks:
                    aliases.setdefault(toks, c.code)
                    self.words.setdefault(c.code, set()).update(toks)
        self.aliases = sorted(aliases.items(), key=lambda kv: (-len(kv[0]), kv[0]))
        self.vocab = sorted({w for alias, _ in self.aliases for w in alias})
        column = {w: i for i, w in enumerate(self.vocab)}
        self.indexed = [(alias, [column[w] for w in alias], chem) for alias, chem in self.aliases]
        # Which words each name has (names x vocabulary), to find at once the names all of
        # whose words are close to some word of a description.
        self.members = np.zeros((len(self.aliases), len(self.vocab)), dtype=np.int16)
        for a, (_, cols, _) in enumerate(self.indexed):
            for col in set(cols):
                self.members[a, col] = 1
        self.distinct = self.members.sum(axis=1)

    @lru_cache(maxsize=65536)  # noqa: B019 - one classifier per catalogue, kept for the process
    def classify(self, description: str | None, tariff: str | None, cas: str | None,
                 controlled: str | None) -> Verdict:
        flagged = (controlled or "").strip().lower() in ("1", "true", "si", "s")
        unflagged = (controlled or "").strip() == "0"
        if cas and cas in self.by_cas:
            return Verdict(self.by_cas[cas], 1.0, "cas", "sure", f"CAS number {cas}", "cas")
        desc = self.describe(description) if description else None
        heading = _heading(tariff)
        candidates = self.by_heading.get(heading or "", [])
        if candidates:
            return self._by_tariff(heading or "", tariff or "", candidates, description, desc)
        if desc is None:
            return Verdict(None, 0.0, "none", "out", "no name of a controlled chemical in the description", "description")
        conf, note = desc.confidence, ""
        if flagged and REVIEW <= conf < SURE and conf >= 0.75:
            conf, note = min(conf + 0.1, 1.0), "; flagged as a regulated good (7022=1)"
        elif unflagged and conf >= SURE:
            conf, note = 0.85, "; but flagged as not regulated (7022=0)"
        evidence = f"description {description!r} reads like {desc.chemical} ({desc.alias!r}, {desc.confidence:.0%}){note}"
        return Verdict(desc.chemical, round(conf, 3), "description", _band(conf), evidence, "description")

    def _by_tariff(self, heading: str, tariff: str, candidates: list[str], description: str | None,
                   desc: _Match | None) -> Verdict:
        if len(candidates) == 1 and heading not in SHARED_HEADINGS:
            chem = candidates[0]
            if desc is not None and desc.chemical != chem and desc.confidence >= SURE:
                return Verdict(chem, 0.7, "tariff", "review", f"tariff subheading {tariff} is {chem}, but the "
                               f"description {description!r} reads like {desc.chemical}", "tariff")
            agrees = desc is not None and desc.chemical == chem
            return Verdict(chem, 1.0 if agrees else 0.95, "tariff", "sure", f"tariff subheading {tariff} "
                           f"(HS {heading}: {chem})" + (" and the description agree" if agrees else ""), "tariff")
        within = self.describe(description, frozenset(candidates)) if description else None
        if within is not None and within.confidence >= REVIEW:
            conf = round(0.9 + 0.1 * within.confidence, 3)
            return Verdict(within.chemical, conf, "tariff", "sure", f"tariff subheading {tariff} (HS {heading}) "
                           f"and the description {description!r}", "tariff")
        covers = SHARED_HEADINGS.get(heading, "more than one catalogue chemical")
        return Verdict(candidates[0], 0.7, "tariff", "review", f"tariff subheading {tariff}: HS {heading} is "
                       f"{' or '.join(candidates)} but also {covers}, and the description does not say which",
                       "tariff")

    @lru_cache(maxsize=65536)  # noqa: B019
    def describe(self, description: str | None, among: frozenset[str] | None = None) -> _Match | None:
        """The catalogue chemical the description names best, with a confidence."""
        toks = normalise(description or "")
        if not toks:
            return None
        # Every word of the description against every word of every name, in one C call;
        # a name is tried only where each of its words has a close enough word to match.
        sim = process.cdist(toks, self.vocab, scorer=fuzz.ratio, dtype=np.uint8, workers=1)
        close = (sim.max(axis=0) >= _WORD_MIN).astype(np.int16)
        best: tuple[float, str, str, int, int] | None = None  # score, chemical, alias, start, length
        for a in np.flatnonzero(self.members @ close == self.distinct):
            alias, cols, chem = self.indexed[a]
            if among is not None and chem not in among:
                continue
            n, text = len(alias), " ".join(alias)
            short = len(text) < 5  # "cal", "sal", "mek": only the exact word
            for i in range(len(toks) - n + 1):
                # Word by word, the worst word counts: a typo ("acetoma") is forgiven a little,
                # another substance ("hidroxido de calcio" for "oxido de calcio") is not.
                score = float(min(sim[i + k, c] for k, c in enumerate(cols)))
                if short and score < 100:
                    continue
                if best is None or score > best[0]:
                    best = (score, chem, text, i, n)
        if best is None or best[0] < _WORD_MIN:
            return None
        score, chem, name, start, n = best
        # Its other names explain themselves ("SODA CAUSTICA (HIDROXIDO DE SODIO)", "ACETONA ... ACETONA").
        words = self.words[chem]
        rest = [w for w in toks[:start] + toks[start + n:] if w not in words]
        other = sum(1 for w in rest if w in OTHER_PRODUCT)
        unknown = sum(1 for w in rest if w not in NEUTRAL and w not in OTHER_PRODUCT and not any(ch.isdigit() for ch in w)
                      and len(w) > 1)
        # A one-word generic name ("sal", "eter", "cal") says less about the line than a full
        # chemical name: each unexplained word then weighs double.
        per_word = 0.2 if len(name) < 5 else 0.1
        conf = score / 100 * max(0.4, 1 - per_word * unknown - 0.25 * other)
        return _Match(chem, round(conf, 3), name)


def _heading(tariff: str | None) -> str | None:
    digits = re.sub(r"\D", "", tariff or "")
    return f"{digits[:4]}.{digits[4:6]}" if len(digits) >= 6 else None


@cache
def default_classifier() -> Classifier:
    return Classifier(default_catalogue())
