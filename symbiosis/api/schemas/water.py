"""Request body of ``POST /water/targets``: the three water tables of docs/DATA_FORMAT.md as JSON,
one object per row with the CSV columns as keys (numbers may be JSON numbers; the
``name=value;…`` columns may be objects such as ``{"cod": 120}``).

Pydantic checks shapes and sizes here (unknown keys, types, at most `MAX_OPERATIONS` operations:
the request is computed while the client waits); the water reader checks meaning (ranges, units,
kinds) with the same words as for the files.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

MAX_OPERATIONS = 50
"""Operations per request: reuse across sites makes ~n² pipes and several contaminants need
successive LPs; the targets of 50 random three-contaminant operations take ~5 s, of 100 ~36 s
(`bench/bench_water.py --sizes 50 100`, docs/API.md), too long for a client to wait."""
MAX_SOURCES = 50
MAX_TREATMENTS = 50
MAX_CONTAMINANTS = 20
MAX_NUMBER = 1e9
"""Largest number accepted in any cell (flows, prices, loads, concentrations): far above any
plant, far below where sums of it could overflow."""

Text = Annotated[str, Field(max_length=200)]
Ident = Annotated[str, Field(min_length=1, max_length=128, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")]
Number = Annotated[float, Field(ge=-MAX_NUMBER, le=MAX_NUMBER, allow_inf_nan=False)]
Contaminant = Annotated[str, Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_]+$")]
Pairs = Annotated[
    Annotated[dict[Contaminant, Number], Field(max_length=MAX_CONTAMINANTS)] | Text,
    Field(description="per contaminant: an object {\"cod\": 120} or the CSV's text 'cod=120;ss=35'"),
]


class _Row(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)


class WaterSourceRow(_Row):
    id: Ident
    name: Text
    type: Text = Field(description="ground, surface, mains or sea")
    site_id: Ident | None = Field(None, description="empty: any site may draw from it")
    price_eur_per_m3: Number | None = None
    co2_kg_per_m3: Number | None = None
    max_quantity: Number | None = Field(None, description="abstraction limit, in quantity_unit")
    quantity_unit: Text | None = Field(None, description="m3/h (default), t/h, m3/yr, Mm3/yr …")
    contaminants_mg_per_l: Pairs | None = None
    source: Text | None = None
    note: Text | None = None


class WaterOperationRow(_Row):
    id: Ident
    site_id: Ident
    name: Text
    kind: Text = Field(description="fixed_load or fixed_flow")
    inlet_quantity: Number | None = None
    outlet_quantity: Number | None = None
    loss_quantity: Number | None = None
    quantity_unit: Text | None = None
    loads_kg_per_h: Pairs | None = None
    max_inlet_mg_per_l: Pairs | None = None
    max_outlet_mg_per_l: Pairs | None = None
    outlet_mg_per_l: Pairs | None = None
    monthly_profile: list[Number] | Text | None = Field(None, description="12 monthly shares")
    source: Text | None = None
    note: Text | None = None


class WaterTreatmentRow(_Row):
    id: Ident
    site_id: Ident
    name: Text
    source: Text = Field(description="where the treatment's figures come from")
    outlet_mg_per_l: Pairs | None = None
    removal_ratio: Pairs | None = None
    cost_eur_per_m3: Number | None = None
    energy_kwh_per_m3: Number | None = None
    electricity_co2_kg_per_kwh: Number | None = None
    max_quantity: Number | None = None
    quantity_unit: Text | None = None
    shared: bool | None = None
    note: Text | None = None


class WaterTargetsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)

    water_sources: list[WaterSourceRow] = Field(default_factory=list, max_length=MAX_SOURCES)
    water_operations: list[WaterOperationRow] = Field(min_length=1, max_length=MAX_OPERATIONS)
    water_treatments: list[WaterTreatmentRow] = Field(default_factory=list, max_length=MAX_TREATMENTS)
    carbon_price_eur_per_t: float = Field(100.0, ge=0, le=10_000, allow_inf_nan=False)

    def tables(self) -> dict[str, list[dict[str, str]]]:
        """The rows as the CSV reader's cells (text), so both paths share one set of checks."""
        return {
            name: [{k: _cell(v) for k, v in row.model_dump(exclude_none=True).items()} for row in rows]
            for name, rows in (
                ("water_sources", self.water_sources),
                ("water_operations", self.water_operations),
                ("water_treatments", self.water_treatments),
            )
        }


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return ";".join(f"{k}={v!r}" for k, v in value.items())
    if isinstance(value, list):
        return ";".join(repr(v) for v in value)
    return repr(value) if isinstance(value, float) else str(value)
