"""The activity mapping table: from an E-PRTR Annex I activity to the by-products a plant of that
kind typically gives off and the inputs it typically needs, each row with its assumption and source.

A row scales one reported figure of the facility (its ``basis``) into a declared quantity:

- ``NONHW_D`` / ``HW_D`` / ``NONHW_R`` / ``HW_R``: reported waste transfers, t/yr; ``factor`` is the
  share of those tonnes that is this by-product (t per t). Rows sharing an activity and a waste
  basis split the reported tonnes, so their factors sum to at most 1.
- ``CO2_AIR`` / ``CH4_AIR`` / ``SOX_AIR``: reported air releases, t/yr; ``factor`` is resource units
  per tonne released (e.g. MWh of recoverable heat per t CO2, t of FGD gypsum per t SOx).
  Releases are a plant's *output*; they may size what it gives off or burns, never what outside
  heat it could take (no input row may scale heat from a plant's own CO2).
- ``FACILITY``: a fixed amount per facility (``factor`` in resource units per year), used where the
  E-PRTR capacity threshold is the only size information (e.g. farms of ≥ 2,000 pig places).

A row with ``name_contains`` applies only to facilities whose name contains that word: the only
honest way to single out, say, biogas plants ("biokaasulaitos") among the 5(c) waste facilities.

A facility takes the rows of its activity code and of every enclosing code: a ``4(a)(i)`` plant
gets the ``4(a)(i)`` rows and the ``4(a)`` rows. Shares of one waste basis are checked along
that chain, so a sub-activity cannot hand out more tonnes than were reported.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator

from symbiosis.domain.base import Frozen
from symbiosis.errors import InvalidInput, Issue, SymbiosisError, issues_from_validation_error

Basis = Literal["NONHW_D", "HW_D", "NONHW_R", "HW_R", "CO2_AIR", "CH4_AIR", "SOX_AIR", "FACILITY"]
WASTE_BASES = ("NONHW_D", "HW_D", "NONHW_R", "HW_R")


class MappingRow(Frozen):
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    activity_code: str = Field(pattern=r"^\d\([a-g]\)(\([ivx]+\))?$", description="E-PRTR Annex I code")
    activity_name: str
    direction: Literal["output", "input"]
    resource_code: str = Field(pattern=r"^[a-z0-9_]+$")
    basis: Basis
    factor: float = Field(gt=0)
    quantity_unit: str = Field(description="unit the declared quantity is written in, e.g. 't/yr'")
    temperature_c: float | None = Field(default=None, description="outputs: typical temperature")
    min_temperature_c: float | None = Field(default=None, description="inputs: lowest usable temperature")
    moisture_pct: float | None = Field(default=None, ge=0, le=100, description="outputs: typical moisture")
    purity_pct: float | None = Field(default=None, ge=0, le=100, description="outputs: typical purity")
    name_contains: str | None = Field(
        default=None, description="row applies only to facilities whose name contains this (case-blind)"
    )
    min_basis: float | None = Field(
        default=None, gt=0, description="row applies only where the basis is at least this (t/yr)"
    )
    min_co2_t_per_yr: float | None = Field(
        default=None, gt=0, description="row applies only to facilities reporting at least this CO2 to air"
    )
    assumption: str = Field(min_length=10)
    source: str = Field(min_length=3)

    @model_validator(mode="after")
    def _share_at_most_one(self) -> MappingRow:
        if self.basis in WASTE_BASES and self.factor > 1:
            raise ValueError(f"factor {self.factor} of a waste basis is a share: expected ≤ 1")
        if (
            self.direction == "input"
            and self.basis.endswith("_AIR")
            and self.resource_code.startswith("heat")
        ):
            raise ValueError(
                f"basis {self.basis} for a heat input: a plant's own emissions say what it produces, "
                "not what outside heat it could take"
            )
        return self


def read_mapping(path: Path) -> list[MappingRow]:
    """Read and validate the table; bad rows are reported all at once with their row numbers."""
    rows: list[MappingRow] = []
    issues: list[Issue] = []
    with path.open(encoding="utf-8", newline="") as fh:
        for line_no, raw in enumerate(csv.DictReader(fh), start=2):
            data = {k: v for k, v in raw.items() if v not in ("", None)}
            try:
                rows.append(MappingRow.model_validate(data))
            except ValidationError as exc:
                issues.extend(issues_from_validation_error(exc, f"{path.name} row {line_no}"))
    if issues:
        raise InvalidInput(issues, path.name)
    _check_shares(rows, path.name)
    return rows


def _ancestors(code: str) -> list[str]:
    """``4(a)(i)`` → ``['4(a)(i)', '4(a)']``: the code and every enclosing Annex I code."""
    chain = [code]
    while code.count("(") > 1:
        code = code[: code.rfind("(")]
        chain.append(code)
    return chain


def _check_shares(rows: list[MappingRow], file: str) -> None:
    """Rows splitting one waste basis may not hand out more than the reported tonnes, along each chain."""
    own: dict[tuple[str, str], float] = defaultdict(float)
    for r in rows:
        if r.basis in WASTE_BASES and r.direction == "output":
            own[(r.activity_code, r.basis)] += r.factor
    over = {}
    for code, basis in own:
        total = sum(own.get((c, basis), 0.0) for c in _ancestors(code))
        if total > 1.0 + 1e-9:
            over[(code, basis)] = total
    if over:
        detail = "; ".join(f"{a} {b}: {v:.3f}" for (a, b), v in sorted(over.items()))
        raise SymbiosisError(f"{file}: output shares of one activity and waste basis sum above 1 ({detail})")


def rows_for_activity(
    rows: list[MappingRow], activity_code: str, facility_name: str = ""
) -> list[MappingRow]:
    """The rows of ``activity_code`` and of every code enclosing it, most general first."""
    chain = _ancestors(activity_code)
    name = facility_name.casefold()
    return [
        r
        for code in reversed(chain)
        for r in rows
        if r.activity_code == code and (r.name_contains is None or r.name_contains.casefold() in name)
    ]
