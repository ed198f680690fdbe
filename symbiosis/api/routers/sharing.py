"""Sharing (issue 19): offers, needs, matches, allocation and bookings of shared assets.

Every handler is a call into `symbiosis.services.sharing`, which applies the roles and the
confidentiality levels (see its docstring and docs/SHARING.md, "API"). Bad input is a 422 naming
the field (an hour slot outside 0–167, a capacity ≤ 0, an end before its start); a booking that no
longer fits is a 409 saying which hours are taken.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response, status
from pydantic import BaseModel, ConfigDict, Field, model_validator

from symbiosis.api.deps import Ctx, CurrentUser, Jobs
from symbiosis.errors import DuplicateKey
from symbiosis.graph.sharing_store import BookingConflict
from symbiosis.services import sharing
from symbiosis.services.errors import Conflict

router = APIRouter(prefix="/sharing", tags=["sharing"])

Slot = Annotated[
    int, Field(ge=0, le=167, description="weekly hour slot: 0 = Monday 00:00, 167 = Sunday 23:00")
]
Month = Annotated[int, Field(ge=1, le=12)]


class _Dates(BaseModel):
    model_config = ConfigDict(extra="forbid")
    hours: list[Slot] = Field(min_length=1, max_length=168)
    first_day: date
    last_day: date
    months: list[Month] | None = Field(default=None, description="months it runs (default: all)")

    @model_validator(mode="after")
    def _ordered(self) -> _Dates:
        if self.last_day < self.first_day:
            raise ValueError(f"last_day {self.last_day} is before first_day {self.first_day}")
        return self


class BookingIn(_Dates):
    id: str = Field(min_length=1, max_length=200, pattern=r"^[A-Za-z0-9_.:-]+$")
    offer_id: str = Field(min_length=1, max_length=200)
    need_id: str | None = None
    capacity: float = Field(gt=0, allow_inf_nan=False, description="units of the offer's category")


class BookingMove(_Dates):
    pass


class AllocationIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    territory_id: str
    year: int = Field(ge=1900, le=2200)
    carbon_price_eur_per_t: float = Field(default=100.0, ge=0, allow_inf_nan=False)
    book: bool = Field(default=False, description="turn the allocation into bookings")
    time_limit_s: float = Field(
        default=120.0, gt=0, le=3600, allow_inf_nan=False, description="solver time limit"
    )


def _conflicts_as_409(call: Any) -> Any:
    try:
        return call()
    except (BookingConflict, DuplicateKey) as exc:
        raise Conflict(str(exc)) from None


@router.get("/offers", summary="Offers of shared spaces, equipment, services and skills you may see")
def list_offers(ctx: Ctx, p: CurrentUser, territory_id: str | None = None) -> Any:
    data = sharing.list_records(ctx, p, "offer", territory_id)
    return {"data": data, "count": len(data)}


@router.get("/needs", summary="Needs you may see")
def list_needs(ctx: Ctx, p: CurrentUser, territory_id: str | None = None) -> Any:
    data = sharing.list_records(ctx, p, "need", territory_id)
    return {"data": data, "count": len(data)}


Cell = str | float | int | bool | None


@router.post("/offers", status_code=status.HTTP_201_CREATED, summary="Declare an offer (dataset fields)")
def declare_offer(ctx: Ctx, p: CurrentUser, body: dict[str, Cell]) -> Any:
    """Fields of ``sharing_offers.csv`` (docs/DATA_FORMAT.md): ``slots`` as ``"lun-ven 18:00-23:00"``
    or ``"18-23;42-47"``, ``months`` as ``"9-6"``, dates ``YYYY-MM-DD``."""
    return sharing.declare(ctx, p, "offer", body)


@router.post("/needs", status_code=status.HTTP_201_CREATED, summary="Declare a need (dataset fields)")
def declare_need(ctx: Ctx, p: CurrentUser, body: dict[str, Cell]) -> Any:
    """Fields of ``sharing_needs.csv`` (docs/DATA_FORMAT.md)."""
    return sharing.declare(ctx, p, "need", body)


@router.put("/offers/{offer_id}", summary="Replace an offer you own (dataset fields)")
def update_offer(ctx: Ctx, p: CurrentUser, offer_id: str, body: dict[str, Cell]) -> Any:
    """409 if the new capacity or hours would break an active booking (named)."""
    return sharing.update(ctx, p, "offer", offer_id, body)


@router.put("/needs/{need_id}", summary="Replace a need you own (dataset fields)")
def update_need(ctx: Ctx, p: CurrentUser, need_id: str, body: dict[str, Cell]) -> Any:
    return sharing.update(ctx, p, "need", need_id, body)


@router.delete(
    "/offers/{offer_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete an offer you own"
)
def delete_offer(ctx: Ctx, p: CurrentUser, offer_id: str) -> Response:
    """409 naming the active bookings that hold it: they must be cancelled first."""
    sharing.delete(ctx, p, "offer", offer_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.delete("/needs/{need_id}", status_code=status.HTTP_204_NO_CONTENT, summary="Delete a need you own")
def delete_need(ctx: Ctx, p: CurrentUser, need_id: str) -> Response:
    sharing.delete(ctx, p, "need", need_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/matches", summary="Fits and near-misses of a territory, explained")
def list_matches(
    ctx: Ctx, p: CurrentUser, territory_id: str,
    year: Annotated[int, Query(ge=1900, le=2200)] = date.today().year,
    lang: Annotated[str, Query(pattern="^(fr|en)$")] = "fr",
) -> Any:  # fmt: skip
    data = sharing.matches(ctx, p, territory_id, year, lang)
    return {"data": data, "count": len(data)}


@router.post(
    "/allocations",
    status_code=status.HTTP_202_ACCEPTED,
    summary="Queue the allocation of a territory's needs to its offers, hour by hour (facilitators)",
)
def allocate(ctx: Ctx, jobs: Jobs, p: CurrentUser, body: AllocationIn) -> Any:
    """A run in the runs queue: poll ``GET /runs/{id}`` for its progress and, when done, its result
    (value, gap, allocated pairs, occupancy before/after, bookings made or refused)."""
    return sharing.start_allocation(ctx, jobs, p, body.model_dump())


@router.get("/bookings", summary="Bookings of offers you own or facilitate, and your own bookings")
def list_bookings(ctx: Ctx, p: CurrentUser, offer_id: str | None = None) -> Any:
    data = sharing.list_bookings(ctx, p, offer_id)
    return {"data": data, "count": len(data)}


@router.get("/bookings.ics", summary="The same bookings as an iCalendar file", response_class=Response)
def bookings_ics(ctx: Ctx, p: CurrentUser, offer_id: str | None = None) -> Response:
    return Response(sharing.calendar_ics(ctx, p, offer_id), media_type="text/calendar; charset=utf-8")


@router.post("/bookings", status_code=status.HTTP_201_CREATED, summary="Book capacity of an offer")
def create_booking(ctx: Ctx, p: CurrentUser, body: BookingIn) -> Any:
    return _conflicts_as_409(lambda: sharing.book(ctx, p, body.model_dump()))


@router.patch("/bookings/{booking_id}", summary="Move a booking to other hours or dates")
def move_booking(ctx: Ctx, p: CurrentUser, booking_id: str, body: BookingMove) -> Any:
    return _conflicts_as_409(lambda: sharing.move(ctx, p, booking_id, body.model_dump()))


@router.delete("/bookings/{booking_id}", summary="Cancel a booking")
def cancel_booking(ctx: Ctx, p: CurrentUser, booking_id: str) -> Any:
    return sharing.cancel(ctx, p, booking_id)
