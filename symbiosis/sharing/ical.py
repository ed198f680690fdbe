"""Allocated pairs as an iCalendar file, so users see their shared slots in their own calendar.

One weekly recurring event per run of hours of each allocated pair, in Europe/Paris local time,
from the first matching day of the pair's validity in the year until its last day, limited to the
pair's months (RRULE BYMONTH). Written with the `icalendar` package, timezone included.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import icalendar
import numpy as np

from symbiosis.sharing.matching import explain
from symbiosis.sharing.records import ALL_MONTHS, SharingData
from symbiosis.sharing.service import SharingResult
from symbiosis.sharing.slots import runs

TIMEZONE = ZoneInfo("Europe/Paris")


def _first_weekday_on_or_after(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def allocation_calendar(data: SharingData, result: SharingResult, lang: str = "fr") -> icalendar.Calendar:
    """The calendar of every allocated pair of ``result``."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//symbiosis//sharing//FR")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Mutualisation" if lang == "fr" else "Sharing")
    names = data.site_names()
    chosen = result.allocated()
    for k, need, offer, first, last in result.allocated_pairs(data):
        months = need.months & offer.months
        description = explain(data, chosen, k, lang)
        for slot, length in runs(np.asarray(need.hours & offer.free)):
            day = _first_weekday_on_or_after(first, slot // 24)
            if day > last:
                continue
            start = datetime(day.year, day.month, day.day, slot % 24, tzinfo=TIMEZONE)
            event = icalendar.Event()
            event.add("uid", f"{need.id}--{offer.id}--{slot}@symbiosis")
            event.add("dtstamp", datetime(result.year, 1, 1, tzinfo=TIMEZONE))
            event.add("dtstart", start)
            event.add("duration", timedelta(hours=length))
            rule: dict[str, object] = {
                "freq": "weekly",
                "until": datetime(last.year, last.month, last.day, 23, 59, tzinfo=TIMEZONE),
            }
            if months != ALL_MONTHS:
                rule["bymonth"] = [m + 1 for m in range(12) if months >> m & 1]
            event.add("rrule", rule)
            event.add(
                "summary",
                f"{data.categories[need.category].name(lang)} : {offer.name} — {names[need.site_id]}",
            )
            event.add("location", names[offer.site_id])
            event.add("description", description)
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def bookings_calendar(bookings: list[dict], offer_names: dict[str, tuple[str, str]]) -> icalendar.Calendar:
    """Stored bookings (as the API lists them) as a calendar: one weekly event per run of hours.

    ``offer_names``: offer id → (offer name, site name)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//symbiosis//sharing bookings//FR")
    cal.add("version", "2.0")
    for b in bookings:
        first, last = date.fromisoformat(b["first_day"]), date.fromisoformat(b["last_day"])
        mask = np.zeros(168, dtype=bool)
        mask[b["hours"]] = True
        name, site = offer_names.get(b["offer_id"], (b["offer_id"], ""))
        for slot, length in runs(mask):
            day = _first_weekday_on_or_after(first, slot // 24)
            if day > last:
                continue
            event = icalendar.Event()
            event.add("uid", f"{b['id']}--{slot}@symbiosis")
            event.add("dtstamp", datetime(first.year, first.month, first.day, tzinfo=TIMEZONE))
            event.add("dtstart", datetime(day.year, day.month, day.day, slot % 24, tzinfo=TIMEZONE))
            event.add("duration", timedelta(hours=length))
            rule: dict[str, object] = {
                "freq": "weekly",
                "until": datetime(last.year, last.month, last.day, 23, 59, tzinfo=TIMEZONE),
            }
            if len(b["months"]) < 12:
                rule["bymonth"] = list(b["months"])
            event.add("rrule", rule)
            event.add("summary", f"{name} ({b['capacity']:g})")
            event.add("location", site)
            event.add("status", "CANCELLED" if b["status"] == "cancelled" else "CONFIRMED")
            cal.add_component(event)
    cal.add_missing_timezones()
    return cal
