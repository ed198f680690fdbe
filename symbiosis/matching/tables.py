"""Columnar form of a dataset's declarations: numpy arrays the matcher works on in bulk.

Building pydantic objects per pair would cost more than the whole search at national scale, so
declarations are read once into arrays (NaN = "not stated") and candidates are only turned into
pydantic models for what a caller asks to see.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import NDArray

from symbiosis.domain.candidate import DeclarationTerms
from symbiosis.domain.dataset import Dataset
from symbiosis.domain.declarations import MONTHS, InputDeclaration, OutputDeclaration
from symbiosis.domain.firm import Site
from symbiosis.energy.links import apply_country_defaults, site_country_codes
from symbiosis.errors import InvalidInput, Issue, raise_if_issues
from symbiosis.knowledge.base import KnowledgeBase
from symbiosis.matching.geo import unit_xyz

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]


def _num(v: float | None) -> float:
    return math.nan if v is None else float(v)


def _bad_number(v: object) -> bool:
    return not isinstance(v, int | float) or v != v or v in (math.inf, -math.inf)


@dataclass
class SiteTable:
    ids: list[str]
    index: dict[str, int]
    firm_ids: list[str]
    territory_ids: list[str | None]
    latitude_deg: FloatArray
    longitude_deg: FloatArray
    xyz: FloatArray
    country_codes: list[str | None] = field(default_factory=list)  # ISO code of each site's country


@dataclass
class DeclTable:
    """One row per declaration (outputs or inputs). Quality columns are NaN when not stated."""

    kind: str  # "output" | "input"
    decls: list[OutputDeclaration] | list[InputDeclaration]
    ids: list[str]
    index: dict[str, int]
    site: IntArray
    resource: list[str]
    monthly: FloatArray  # (n, 12) canonical units
    quantity_per_yr: FloatArray
    cost_eur_per_unit: FloatArray  # disposal (outputs) or virgin supply (inputs), defaults applied
    co2_kg_per_unit: FloatArray
    temperature_c: FloatArray  # outputs: measured; inputs: minimum required
    max_temperature_c: FloatArray  # inputs only
    purity_pct: FloatArray  # outputs: measured; inputs: minimum required
    moisture_pct: FloatArray  # outputs: measured; inputs: maximum accepted
    contaminants: FloatArray  # (n, C) in mg/l, columns = Tables.contaminant_names
    profile_sum: FloatArray  # the monthly profile's total (1 when valid)
    return_temperature_c: FloatArray = field(default_factory=lambda: np.zeros(0))  # heat, NaN = not stated
    peak_mw: FloatArray = field(default_factory=lambda: np.zeros(0))  # heat, NaN = not stated
    by_resource: dict[str, IntArray] = field(default_factory=dict)


@dataclass
class Tables:
    sites: SiteTable
    outputs: DeclTable
    inputs: DeclTable
    contaminant_names: list[str]

    def terms(self, kind: str, row: int, kb: KnowledgeBase) -> DeclarationTerms:
        """The declaration's economics with defaults applied — what the optimiser consumes."""
        t = self.outputs if kind == "output" else self.inputs
        d = t.decls[row]
        site = int(t.site[row])
        contaminants = {
            n: float(t.contaminants[row, c])
            for c, n in enumerate(self.contaminant_names)
            if not math.isnan(t.contaminants[row, c])
        }
        return DeclarationTerms.model_construct(
            declaration_id=d.id,
            kind=kind,
            site_id=d.site_id,
            firm_id=self.sites.firm_ids[site],
            territory_id=self.sites.territory_ids[site],
            resource_code=d.resource_code,
            family=kb.resources[d.resource_code].family,
            unit=d.unit,
            monthly_qty=tuple(float(x) for x in t.monthly[row]),
            cost_eur_per_unit=float(t.cost_eur_per_unit[row]),
            co2_kg_per_unit=float(t.co2_kg_per_unit[row]),
            contaminants_mg_per_l=contaminants,
        )


def _site_issues(site: Site) -> list[Issue]:
    out = []
    for name, lo, hi in (("latitude_deg", -90.0, 90.0), ("longitude_deg", -180.0, 180.0)):
        v = getattr(site, name, None)
        if v is None or _bad_number(v) or not lo <= v <= hi:
            out.append(Issue(f"site {site.id}", name, v, f"WGS84 coordinates in [{lo:g}, {hi:g}] degrees"))
    return out


def _quality_issues(loc: str, d: OutputDeclaration | InputDeclaration) -> list[Issue]:
    """Values no physical stream can have (NaN, negative concentrations, min above max…)."""
    issues: list[Issue] = []

    def check(name: str, v: float | None, lo: float, hi: float, what: str) -> None:
        if v is not None and (_bad_number(v) or not lo <= v <= hi):
            issues.append(Issue(loc, name, v, what))

    if _bad_number(d.quantity_per_yr) or d.quantity_per_yr < 0:
        issues.append(Issue(loc, "quantity", d.quantity, "a non-negative quantity"))
    prof = d.monthly_profile
    if len(prof) != MONTHS or any(_bad_number(x) or x < 0 for x in prof) or not sum(prof) > 0:
        issues.append(Issue(loc, "monthly_profile", prof, "12 non-negative monthly values, not all zero"))
    if d.peak_mw is not None:
        busiest_mw = max(d.monthly_quantity(), default=0.0) / (8760.0 / 12.0)
        if d.unit.value != "MWh":
            issues.append(
                Issue(loc, "peak_mw", d.peak_mw, f"no peak_mw: it applies to heat in MWh, not {d.unit.value}")
            )
        elif d.peak_mw < busiest_mw * (1.0 - 1e-9):
            issues.append(
                Issue(
                    loc,
                    "peak_mw",
                    d.peak_mw,
                    f"at least the busiest month's mean power ({busiest_mw:.4g} MW)",
                )
            )
    if isinstance(d, OutputDeclaration):
        q = d.quality
        if (
            q.return_temperature_c is not None
            and q.temperature_c is not None
            and not (q.return_temperature_c < q.temperature_c)
        ):
            issues.append(
                Issue(
                    loc,
                    "quality.return_temperature_c",
                    q.return_temperature_c,
                    f"below temperature_c ({q.temperature_c:g} °C)",
                )
            )
        check("quality.temperature_c", q.temperature_c, -60.0, 1600.0, "a temperature in [-60, 1600] °C")
        check("quality.purity_pct", q.purity_pct, 0.0, 100.0, "a percentage in [0, 100]")
        check("quality.moisture_pct", q.moisture_pct, 0.0, 100.0, "a percentage in [0, 100]")
        for n, v in q.contaminants_mg_per_l.items():
            check(f"quality.contaminants_mg_per_l.{n}", v, 0.0, math.inf, "a concentration ≥ 0 mg/l")
    else:
        r = d.requirement
        check(
            "requirement.min_temperature_c",
            r.min_temperature_c,
            -60.0,
            1600.0,
            "a temperature in [-60, 1600] °C",
        )
        check(
            "requirement.max_temperature_c",
            r.max_temperature_c,
            -60.0,
            1600.0,
            "a temperature in [-60, 1600] °C",
        )
        if (
            r.min_temperature_c is not None
            and r.max_temperature_c is not None
            and r.min_temperature_c > r.max_temperature_c
        ):
            issues.append(
                Issue(
                    loc,
                    "requirement.min_temperature_c",
                    r.min_temperature_c,
                    f"at most max_temperature_c ({r.max_temperature_c:g} °C)",
                )
            )
        check("requirement.min_purity_pct", r.min_purity_pct, 0.0, 100.0, "a percentage in [0, 100]")
        check("requirement.max_moisture_pct", r.max_moisture_pct, 0.0, 100.0, "a percentage in [0, 100]")
        for n, v in r.max_contaminants_mg_per_l.items():
            check(f"requirement.max_contaminants_mg_per_l.{n}", v, 0.0, math.inf, "a limit ≥ 0 mg/l")
    return issues


def build_tables(dataset: Dataset, kb: KnowledgeBase) -> Tables:
    """Validate what matching relies on and lay it out in arrays.

    Every problem is collected first and raised together as one `InvalidInput`, naming the
    declaration, the field, the value and what was expected; nothing is dropped silently.
    """
    issues: list[Issue] = []
    sites = {}
    for s in dataset.sites:
        site_issues = _site_issues(s)
        issues.extend(site_issues)
        if not site_issues:
            sites[s.id] = s
    site_ids = list(sites)
    site_index = {sid: i for i, sid in enumerate(site_ids)}
    site_known = {s.id for s in dataset.sites}

    for kind, decls in (("output", dataset.outputs), ("input", dataset.inputs)):
        for d in decls:
            loc = f"{kind} {d.id}"
            res = kb.resources.get(d.resource_code)
            if res is None:
                issues.append(
                    Issue(
                        loc,
                        "resource_code",
                        d.resource_code,
                        "a resource code of the knowledge base (datasets/knowledge/resources.csv)",
                    )
                )
            elif (
                isinstance(d, OutputDeclaration)
                and res.abstracted_water
                and (d.disposal_cost_eur_per_unit or d.disposal_co2_kg_per_unit)
            ):
                issues.append(
                    Issue(
                        loc,
                        "disposal_cost_eur_per_unit",
                        d.disposal_cost_eur_per_unit or d.disposal_co2_kg_per_unit,
                        f"none: {d.resource_code} is raw water abstracted at the source; leaving it "
                        "there costs nothing, so taking it earns no disposal credit",
                    )
                )
            if res is not None and d.unit != res.canonical_unit:
                issues.append(
                    Issue(
                        loc,
                        "unit",
                        str(d.unit),
                        f"{res.canonical_unit.value}, the canonical unit of {d.resource_code}",
                    )
                )
            if d.site_id not in site_known:
                issues.append(Issue(loc, "site_id", d.site_id, "the id of a site of the dataset"))
            elif d.site_id not in sites:
                issues.append(
                    Issue(loc, "site_id", d.site_id, "a site with valid coordinates (see that site)")
                )
        seen: set[str] = set()
        for d in decls:
            if d.id in seen:
                issues.append(Issue(f"{kind} {d.id}", "id", d.id, f"a unique {kind} id (it appears twice)"))
            seen.add(d.id)
    if issues:  # tables cannot be built: check every declaration's values the slow way, report all
        for kind, decls in (("output", dataset.outputs), ("input", dataset.inputs)):
            for d in decls:
                issues.extend(_quality_issues(f"{kind} {d.id}", d))
        raise InvalidInput(issues, "the declarations to match")

    lat = np.array([sites[s].latitude_deg for s in site_ids], dtype=np.float64)
    lon = np.array([sites[s].longitude_deg for s in site_ids], dtype=np.float64)
    site_table = SiteTable(
        ids=site_ids,
        index=site_index,
        firm_ids=[sites[s].firm_id for s in site_ids],
        territory_ids=[sites[s].territory_id for s in site_ids],
        latitude_deg=lat,
        longitude_deg=lon,
        xyz=unit_xyz(lat, lon) if site_ids else np.zeros((0, 3)),
        country_codes=site_country_codes(dataset, site_ids),
    )
    names = sorted(
        {n for d in dataset.outputs for n in d.quality.contaminants_mg_per_l}
        | {n for d in dataset.inputs for n in d.requirement.max_contaminants_mg_per_l}
    )
    tables = Tables(
        sites=site_table,
        outputs=_decl_table("output", dataset.outputs, site_index, names, kb),
        inputs=_decl_table("input", dataset.inputs, site_index, names, kb),
        contaminant_names=names,
    )
    apply_country_defaults(tables, kb)
    for t in (tables.outputs, tables.inputs):  # vectorised screen; words for the suspects only
        for row in np.flatnonzero(_suspect(t)):
            issues.extend(_quality_issues(f"{t.kind} {t.ids[row]}", t.decls[row]))
    raise_if_issues(issues, "the declarations to match")
    return tables


def _suspect(t: DeclTable) -> NDArray[np.bool_]:
    """Rows that may hold an impossible value (a superset of what `_quality_issues` reports)."""

    def outside(v: FloatArray, lo: float, hi: float) -> NDArray[np.bool_]:
        return ~np.isnan(v) & ~((v >= lo) & (v <= hi))

    bad = ~np.isfinite(t.quantity_per_yr) | (t.quantity_per_yr < 0)
    with np.errstate(invalid="ignore"):
        bad |= ~np.isfinite(t.monthly).all(axis=1) | (t.monthly < 0).any(axis=1) | ~(t.profile_sum > 0)
    bad |= outside(t.temperature_c, -60.0, 1600.0) | outside(t.max_temperature_c, -60.0, 1600.0)
    bad |= t.temperature_c > t.max_temperature_c
    bad |= ~np.isnan(t.peak_mw)  # rare: check every declared peak the slow way
    if t.kind == "output":
        bad |= t.return_temperature_c >= t.temperature_c
    bad |= outside(t.purity_pct, 0.0, 100.0) | outside(t.moisture_pct, 0.0, 100.0)
    if t.contaminants.shape[1]:
        bad |= (outside(t.contaminants, 0.0, np.inf)).any(axis=1)
    return bad


def _decl_table(
    kind: str, decls: list, site_index: dict[str, int], names: list[str], kb: KnowledgeBase
) -> DeclTable:
    n = len(decls)
    col = {name: c for c, name in enumerate(names)}
    contaminants = np.full((n, len(names)), np.nan)
    temp, tmax, purity, moisture, ret = (np.full(n, np.nan) for _ in range(5))
    cost, co2 = np.empty(n), np.empty(n)
    for i, d in enumerate(decls):
        res = kb.resources[d.resource_code]
        if kind == "output":
            q = d.quality
            temp[i], purity[i], moisture[i] = _num(q.temperature_c), _num(q.purity_pct), _num(q.moisture_pct)
            ret[i] = _num(q.return_temperature_c)
            conc = q.contaminants_mg_per_l
            cost[i] = (
                res.disposal_cost_eur_per_unit
                if d.disposal_cost_eur_per_unit is None
                else d.disposal_cost_eur_per_unit
            )
            co2[i] = (
                res.disposal_co2_kg_per_unit
                if d.disposal_co2_kg_per_unit is None
                else d.disposal_co2_kg_per_unit
            )
        else:
            r = d.requirement
            temp[i], tmax[i] = _num(r.min_temperature_c), _num(r.max_temperature_c)
            purity[i], moisture[i] = _num(r.min_purity_pct), _num(r.max_moisture_pct)
            ret[i] = _num(r.return_temperature_c)
            conc = r.max_contaminants_mg_per_l
            cost[i] = (
                res.virgin_price_eur_per_unit
                if d.supply_price_eur_per_unit is None
                else d.supply_price_eur_per_unit
            )
            co2[i] = (
                res.virgin_co2_kg_per_unit if d.supply_co2_kg_per_unit is None else d.supply_co2_kg_per_unit
            )
        for name, v in conc.items():
            contaminants[i, col[name]] = v
    qty = np.array([d.quantity_per_yr for d in decls], dtype=np.float64)
    nan12 = (math.nan,) * 12
    profiles = np.array(
        [p if len(p) == 12 else nan12 for p in (d.monthly_profile for d in decls)], dtype=np.float64
    ).reshape(n, 12)
    resource = [d.resource_code for d in decls]
    by_res: dict[str, list[int]] = {}
    for i, r in enumerate(resource):
        by_res.setdefault(r, []).append(i)
    ids = [d.id for d in decls]
    return DeclTable(
        kind=kind,
        decls=decls,
        ids=ids,
        index={x: i for i, x in enumerate(ids)},
        site=np.array([site_index[d.site_id] for d in decls], dtype=np.int64),
        resource=resource,
        monthly=profiles * qty[:, None],
        profile_sum=profiles.sum(axis=1),
        quantity_per_yr=qty,
        cost_eur_per_unit=cost,
        co2_kg_per_unit=co2,
        temperature_c=temp,
        max_temperature_c=tmax,
        purity_pct=purity,
        moisture_pct=moisture,
        contaminants=contaminants,
        return_temperature_c=ret,
        peak_mw=np.array([_num(d.peak_mw) for d in decls], dtype=np.float64),
        by_resource={r: np.array(v, dtype=np.int64) for r, v in by_res.items()},
    )
