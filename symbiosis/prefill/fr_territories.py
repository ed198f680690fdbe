"""French territories — France › région › EPCI › commune — from Etalab's EPCI membership file.

Why: in France the agencies that scout synergies are mostly intercommunalities (EPCI:
communautés de communes, d'agglomération, urbaines, métropoles) and regions. An agency account
sees the subtree of its territories, so its EPCI and member communes must exist as territories
before its firms can be sited in them; typing 30 communes by hand, with official codes, is the
data entry users of existing tools complain about. This module turns the membership file
(``datasets/france/epci_membership_etalab_2025.csv``: every EPCI with its member communes, INSEE
codes and populations) into `Territory` records, for a selection of EPCIs, départements or regions.

Choices, because the official geography is not a strict tree:
- An EPCI's parent is the région holding most of its population (26 of 1,255 EPCIs straddle two
  régions); its communes are its children wherever they lie, so an EPCI agency sees all of them.
- Départements are not a level: EPCIs cross their borders and our levels are country › region ›
  intercommunality › municipality › industrial park. A département selects the EPCIs with at least
  one member commune in it.
- The few communes outside any EPCI (islands such as Ouessant or l'Île-d'Yeu) are not in the file.

Ids: ``fr``, ``fr_region_<INSEE code>``, ``fr_epci_<SIREN>``, ``fr_commune_<INSEE code>``; the
official code goes in ``code``.
"""

from __future__ import annotations

import csv
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from symbiosis.domain.enums import TerritoryLevel
from symbiosis.domain.territory import Territory
from symbiosis.errors import InvalidInput, Issue
from symbiosis.settings import get_settings

MEMBERSHIP_CSV = Path("france") / "epci_membership_etalab_2025.csv"
"""Below the datasets folder (`Settings.datasets_dir`)."""

SOURCE = "Etalab decoupage-administratif 6.0.0 (INSEE COG 2025, DGCL), Licence Ouverte"

REGION_NAMES: dict[str, str] = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}
"""INSEE COG region codes (since 2016; Mayotte a region since 2011)."""

EPCI_KINDS: dict[str, str] = {
    "CC": "communauté de communes",
    "CA": "communauté d'agglomération",
    "CU": "communauté urbaine",
    "METRO": "métropole",
    "MET69": "Métropole de Lyon",
}

_COLUMNS = (
    "epci_siren",
    "epci_nom",
    "epci_type",
    "epci_population_totale",
    "commune_insee",
    "commune_nom",
    "departement",
    "region",
    "commune_population",
)


@dataclass(frozen=True)
class Commune:
    insee: str
    name: str
    departement: str
    region: str
    population: int


@dataclass(frozen=True)
class Epci:
    siren: str
    name: str
    kind: str
    population: int
    communes: tuple[Commune, ...]

    @property
    def region(self) -> str:
        """The région holding most of the EPCI's population (ties: the lowest code)."""
        pop: dict[str, int] = defaultdict(int)
        for c in self.communes:
            pop[c.region] += c.population
        return min(pop, key=lambda r: (-pop[r], r))

    @property
    def departements(self) -> set[str]:
        return {c.departement for c in self.communes}


def read_membership(path: Path | None = None) -> dict[str, Epci]:
    """Every EPCI of the file by SIREN; `InvalidInput` naming row, field and value if a row is bad."""
    path = path or get_settings().datasets_dir / MEMBERSHIP_CSV
    issues: list[Issue] = []
    rows: dict[str, list[tuple[dict[str, str], Commune]]] = defaultdict(list)
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in _COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InvalidInput(
                [Issue(path.name, c, None, "this required column is missing") for c in missing], str(path)
            )
        for n, row in enumerate(reader, start=2):
            where = f"{path.name} row {n}"
            bad = _row_issues(row, where)
            if bad:
                issues.extend(bad)
                continue
            commune = Commune(
                row["commune_insee"],
                row["commune_nom"],
                row["departement"],
                row["region"],
                int(row["commune_population"]),
            )
            rows[row["epci_siren"]].append((row, commune))
    if issues:
        raise InvalidInput(issues, str(path))
    out: dict[str, Epci] = {}
    for siren, members in rows.items():
        head = members[0][0]
        out[siren] = Epci(
            siren,
            head["epci_nom"],
            head["epci_type"],
            int(head["epci_population_totale"]),
            tuple(c for _, c in members),
        )
    return out


def _row_issues(row: dict[str, str], where: str) -> list[Issue]:
    issues = []
    siren = row.get("epci_siren") or ""
    if not (len(siren) == 9 and siren.isdigit()):
        issues.append(Issue(where, "epci_siren", siren, "a 9-digit SIREN"))
    insee = row.get("commune_insee") or ""
    if not (len(insee) == 5 and insee.isalnum()):
        issues.append(Issue(where, "commune_insee", insee, "a 5-character INSEE code (e.g. 31555, 2A004)"))
    if row.get("region") not in REGION_NAMES:
        expected = f"an INSEE region code: {sorted(REGION_NAMES)}"
        issues.append(Issue(where, "region", row.get("region"), expected))
    if row.get("epci_type") not in EPCI_KINDS:
        issues.append(Issue(where, "epci_type", row.get("epci_type"), f"one of {sorted(EPCI_KINDS)}"))
    for col in ("epci_population_totale", "commune_population"):
        if not (row.get(col) or "").isdigit():
            issues.append(Issue(where, col, row.get(col), "a whole number of inhabitants"))
    for col in ("epci_nom", "commune_nom", "departement"):
        if not (row.get(col) or "").strip():
            issues.append(Issue(where, col, row.get(col), "a non-empty value"))
    return issues


def _folded(text: str) -> str:
    """Lower case without accents, so 'metropole' finds 'Métropole'."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def find_epci(epcis: dict[str, Epci], query: str) -> Epci:
    """The EPCI whose SIREN is ``query``, or whose name contains it (case and accents ignored).

    Several names match → `InvalidInput` listing them, so the user can pick the SIREN.
    """
    if query in epcis:
        return epcis[query]
    needle = _folded(query.strip())
    hits = sorted((e for e in epcis.values() if needle and needle in _folded(e.name)), key=lambda e: e.name)
    exact = [e for e in hits if _folded(e.name) == needle]
    if len(exact) == 1:
        return exact[0]
    if len(hits) == 1:
        return hits[0]
    if not hits:
        expected = "the SIREN or part of the name of an EPCI (e.g. 243100518 or 'Toulouse Métropole')"
    else:
        listed = "; ".join(f"{e.siren} {e.name}" for e in hits[:10])
        more = f" and {len(hits) - 10} more" if len(hits) > 10 else ""
        expected = f"one EPCI, but {len(hits)} match: {listed}{more} — give the SIREN"
    raise InvalidInput([Issue("selection", "epci", query, expected)], "French territory selection")


def select_epcis(
    epcis: dict[str, Epci],
    *,
    epci: Iterable[str] = (),
    departements: Iterable[str] = (),
    regions: Iterable[str] = (),
) -> list[Epci]:
    """The EPCIs named, those with a commune in one of the départements, and those whose région
    (see `Epci.region`) is listed; every EPCI when nothing is given. Unknown values are reported
    together, each naming what was expected."""
    epci, departements, regions = list(epci), list(departements), list(regions)
    if not (epci or departements or regions):
        return sorted(epcis.values(), key=lambda e: e.siren)
    issues: list[Issue] = []
    chosen: dict[str, Epci] = {}
    for q in epci:
        try:
            e = find_epci(epcis, q)
            chosen[e.siren] = e
        except InvalidInput as exc:
            issues.extend(exc.issues)
    known_deps = {d for e in epcis.values() for d in e.departements}
    for dep in departements:
        if dep not in known_deps:
            issues.append(Issue("selection", "departement", dep, "a département code such as 31, 2A or 974"))
        chosen.update({e.siren: e for e in epcis.values() if dep in e.departements})
    for reg in regions:
        if reg not in REGION_NAMES:
            named = ", ".join(f"{k} {v}" for k, v in REGION_NAMES.items())
            issues.append(Issue("selection", "region", reg, f"an INSEE region code: {named}"))
        chosen.update({e.siren: e for e in epcis.values() if e.region == reg})
    if issues:
        raise InvalidInput(issues, "French territory selection")
    return sorted(chosen.values(), key=lambda e: e.siren)


def french_territories(selected: Iterable[Epci]) -> list[Territory]:
    """France, the régions of the selected EPCIs, the EPCIs and their communes, parents first."""
    selected = list(selected)
    france = Territory(
        id="fr", name="France", level=TerritoryLevel.COUNTRY, code="FR", source="ISO 3166-1 alpha-2"
    )
    out = [france]
    for reg in sorted({e.region for e in selected}):
        out.append(
            Territory(
                id=f"fr_region_{reg}",
                name=REGION_NAMES[reg],
                level=TerritoryLevel.REGION,
                parent_id="fr",
                code=reg,
                source=f"INSEE COG region code {reg}",
            )
        )
    for e in selected:
        epci_id = f"fr_epci_{e.siren}"
        out.append(
            Territory(
                id=epci_id,
                name=e.name,
                level=TerritoryLevel.INTERCOMMUNALITY,
                parent_id=f"fr_region_{e.region}",
                code=e.siren,
                source=f"{SOURCE}: {EPCI_KINDS[e.kind]}, SIREN {e.siren}, {e.population:,} inhabitants",
            )
        )
        for c in e.communes:
            out.append(
                Territory(
                    id=f"fr_commune_{c.insee}",
                    name=c.name,
                    level=TerritoryLevel.MUNICIPALITY,
                    parent_id=epci_id,
                    code=c.insee,
                    source=f"{SOURCE}: commune {c.insee}, département {c.departement}",
                )
            )
    return out
