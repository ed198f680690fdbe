"""Water targets (issue 17) for the water tables a user sends: minimum fresh water and wastewater
without reuse, with reuse and with regeneration, the cheapest plan against its no-reuse baseline,
site balances and composite-curve data — the same report as ``symbiosis water-targets --json``.

Water tables are not stored in the graph (they are dataset files), so the request carries them;
nothing is stored. Same roles as the other computation (``/runs``): admins and agencies.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from symbiosis.api.deps import roles
from symbiosis.api.schemas.water import WaterTargetsRequest
from symbiosis.services.principal import Role
from symbiosis.water.dataset_files import water_problem_from_records
from symbiosis.water.report import water_report

router = APIRouter(prefix="/water", tags=["water"], dependencies=[roles(Role.ADMIN, Role.AGENCY)])


@router.post("/targets", summary="Water targets and the cheapest water network of the tables sent")
def water_targets(body: WaterTargetsRequest) -> dict[str, Any]:
    problem = water_problem_from_records(body.tables())
    return water_report(problem, body.carbon_price_eur_per_t)
