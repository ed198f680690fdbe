"""Names instead of ids: sites as "site (firm)", resources in the user's language, opaque partners
as a stable human label. Ids stay in exports and detail views only.

The knowledge base names resources in English (`datasets/knowledge/resources.csv`); the French
names are this catalogue's, keyed by resource code (a code missing here falls back to the
knowledge base's name, and a test checks that every code of the knowledge base has one).
"""

from __future__ import annotations

import itertools
import string
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dashboard.i18n import tr
from symbiosis.domain.dataset import Dataset
from symbiosis.knowledge.base import KnowledgeBase

RESOURCE_FR: dict[str, str] = {
    "steam": "Vapeur de procédé",
    "heat_high_gt_90c": "Chaleur / eau chaude > 90 °C",
    "heat_medium_50_90c": "Chaleur / eau chaude 50-90 °C",
    "heat_low_lt_50c": "Chaleur basse température < 50 °C",
    "cooling_water": "Eau de refroidissement",
    "warm_water": "Eau tiède 20-40 °C",
    "process_water": "Eau de procédé",
    "fresh_surface_water": "Eau douce de surface",
    "treated_effluent": "Eaux usées traitées",
    "industrial_waste_water": "Eaux usées industrielles",
    "fgd_gypsum": "Gypse de désulfuration",
    "natural_gypsum": "Gypse naturel",
    "gypsum_waste": "Déchets de plâtre",
    "fly_ash": "Cendres volantes de charbon",
    "biomass_fly_ash": "Cendres volantes de biomasse et de tourbe (hors EN 450)",
    "bottom_ash": "Mâchefers et cendres de chaudière",
    "slag": "Laitier de haut fourneau ou d'aciérie",
    "clinker": "Clinker",
    "cement_raw_material": "Matières premières du ciment",
    "sulphur": "Soufre",
    "co2": "CO2 liquéfié",
    "co2_offgas": "Gaz riche en CO2",
    "sewage_sludge": "Boues d'épuration",
    "fermentation_sludge": "Boues de fermentation",
    "organic_residues": "Résidus organiques",
    "biogas_feedstock": "Intrants de méthanisation",
    "biomass": "Biomasse combustible",
    "yeast_slurry": "Levure résiduelle",
    "animal_feed": "Aliments pour animaux",
    "fertiliser": "Engrais",
    "refinery_gas": "Gaz de raffinerie",
    "natural_gas": "Gaz naturel",
    "biogas": "Biogaz / biométhane",
    "solvents": "Solvants neufs",
    "spent_solvents": "Solvants usagés",
    "plastics": "Plastiques",
    "wood": "Bois de rebut",
    "metal_scrap": "Ferraille",
    "phosphogypsum": "Phosphogypse",
    "jarosite_iron_precipitate": "Jarosite et précipités de fer",
    "nonferrous_slag": "Scories non ferreuses",
    "foundry_sand": "Sables de fonderie usagés",
    "mine_waste_rock": "Stériles miniers et de carrière",
    "mine_tailings": "Résidus miniers",
    "aggregates": "Granulats",
}


NACE_SECTION_FR: dict[str, str] = {
    "A": "Agriculture, sylviculture et pêche",
    "B": "Industries extractives",
    "C": "Industrie manufacturière",
    "D": "Production et distribution d'électricité, de gaz, de vapeur et d'air conditionné",
    "E": "Eau, assainissement, gestion des déchets et dépollution",
    "F": "Construction",
    "G": "Commerce de gros et de détail",
    "H": "Transports et entreposage",
    "I": "Hébergement et restauration",
    "J": "Édition, diffusion et production de contenus",
    "K": "Télécommunications, informatique et services d'information",
    "L": "Activités financières et d'assurance",
    "M": "Activités immobilières",
    "N": "Activités spécialisées, scientifiques et techniques",
    "O": "Activités de services administratifs et de soutien",
    "P": "Administration publique et défense ; sécurité sociale obligatoire",
    "Q": "Enseignement",
    "R": "Santé humaine et action sociale",
    "S": "Arts, sports et loisirs",
    "T": "Autres activités de services",
    "U": "Activités des ménages en tant qu'employeurs et producteurs pour usage propre",
    "V": "Activités des organisations et organismes extraterritoriaux",
}


def sector_name(section: str, english: str, lang: str) -> str:
    """A NACE section's name in ``lang`` (the knowledge base's is English)."""
    return NACE_SECTION_FR.get(section, english) if lang == "fr" else english


def resource_name(code: str, kb: KnowledgeBase, lang: str) -> str:
    if lang == "fr" and code in RESOURCE_FR:
        return RESOURCE_FR[code]
    resource = kb.resources.get(code)
    return resource.name if resource is not None else code


def _site_label(site: str, firm: str) -> str:
    """ "Site (firm)", or the one name when it holds the other ("Novo Nordisk Kalundborg")."""
    if site in firm:
        return firm
    if firm in site:
        return site
    return f"{site} ({firm})"


@dataclass
class Labels:
    """Look-ups from ids to what a user reads, for one territory and language."""

    lang: str
    kb: KnowledgeBase
    sites: dict[str, str] = field(default_factory=dict)
    firms: dict[str, str] = field(default_factory=dict)

    @staticmethod
    def of(ds: Dataset, kb: KnowledgeBase, lang: str) -> Labels:
        firms = {f.id: f.name for f in ds.firms}
        sites = {s.id: _site_label(s.name, firms.get(s.firm_id, s.firm_id)) for s in ds.sites}
        return Labels(lang, kb, sites, firms)

    def site(self, site_id: str) -> str:
        return self.sites.get(site_id, site_id)

    def firm(self, firm_id: str) -> str:
        return self.firms.get(firm_id, firm_id)

    def resource(self, code: str) -> str:
        return resource_name(code, self.kb, self.lang)

    def family(self, family: str) -> str:
        return tr(f"family.{family}", self.lang)


def _letters(n: int) -> list[str]:
    """A, B, …, Z, AA, AB, …: as many short labels as partners."""
    out: list[str] = []
    width = 1
    while len(out) < n:
        out += ["".join(p) for p in itertools.product(string.ascii_uppercase, repeat=width)]
        width += 1
    return out[:n]


def partner_labels(rows: Iterable[dict[str, Any]], lang: str) -> dict[str, str]:
    """Opaque partner reference → "Partenaire A — vapeur, 1–2 km" (letter by sorted reference, so
    the same partners keep the same letters from one page run to the next; what is exchanged and
    how far, from the ranges the service returned — nothing more than the table shows)."""
    seen: dict[str, tuple[set[str], float, float]] = {}
    for r in rows:
        ref = r.get("partner_ref")
        if not ref:
            continue
        fams, lo, hi = seen.get(ref, (set(), float("inf"), 0.0))
        fams.add(str(r["family"]))
        d_lo, d_hi = r.get("distance_km_range") or (r.get("distance_km"), r.get("distance_km"))
        seen[ref] = (fams, min(lo, float(d_lo)), max(hi, float(d_hi)))
    out = {}
    for letter, ref in zip(_letters(len(seen)), sorted(seen), strict=True):
        fams, lo, hi = seen[ref]
        what = ", ".join(tr(f"family.{f}", lang).lower() for f in sorted(fams))
        lo_txt, hi_txt = (f"{x:g}".replace(".", ",") if lang == "fr" else f"{x:g}" for x in (lo, hi))
        out[ref] = tr("partner.label", lang, letter=letter, what=what, lo=lo_txt, hi=hi_txt)
    return out
