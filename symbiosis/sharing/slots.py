"""Weekly hour slots: 168 per week, slot 0 = Monday 00:00–01:00, slot 167 = Sunday 23:00–24:00.

Why bits: matching 10^5 offers against 10^5 needs compares weekly patterns millions of times, so a
pattern is packed into three 64-bit words (168 = 64 + 64 + 40) and compared with vectorised AND /
AND-NOT and a population count — never a Python loop over hours.

Text forms accepted in the dataset (``;``-separated parts, combined by union):

* slot ranges, half-open: ``18-32`` is slots 18..31 (Monday 18:00 to Tuesday 08:00), ``5`` is one slot;
  a range is within 0–168 and must end after it starts (``166-168;0-6`` wraps the week);
* day and time ranges, in French or English: ``lun-ven 18:00-08:00`` (end before start runs past
  midnight into the next day), ``sam 00:00-24:00``, ``mon,wed 9-12``.
"""

from __future__ import annotations

import re

import numpy as np

HOURS_PER_WEEK = 168
WORDS = 3  # uint64 words per packed pattern
DAYS_FR = ("lun", "mar", "mer", "jeu", "ven", "sam", "dim")
DAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_INDEX = {d.lower(): i for names in (DAYS_FR, DAYS_EN) for i, d in enumerate(names)}
_TIME = r"(\d{1,2})(?::(\d{2}))?"
_DAY_PART = re.compile(rf"^([a-zé]+(?:\s*[-–,]\s*[a-zé]+)*)\s+{_TIME}\s*[-–]\s*{_TIME}$")
_SLOT_PART = re.compile(r"^(\d+)(?:\s*[-–]\s*(\d+))?$")


class SlotError(ValueError):
    """A pattern that cannot be read; the message says what was expected."""


def _hour(h: str, m: str | None, text: str) -> int:
    if m not in (None, "00"):
        raise SlotError(f"{text!r}: hours are whole (HH:00); minutes are not supported")
    value = int(h)
    if not 0 <= value <= 24:
        raise SlotError(f"{text!r}: an hour of day is 0–24")
    return value


def _days(spec: str, text: str) -> list[int]:
    out: list[int] = []
    for piece in re.split(r"\s*,\s*", spec):
        ends = re.split(r"\s*[-–]\s*", piece)
        try:
            idx = [_DAY_INDEX[e.lower()[:3]] for e in ends]
        except KeyError:
            raise SlotError(f"{text!r}: days are lun…dim or Mon…Sun") from None
        if len(idx) == 1:
            out.append(idx[0])
        else:
            a, b = idx[0], idx[-1]
            out.extend(range(a, b + 1) if b >= a else [*range(a, 7), *range(0, b + 1)])
    return out


def parse_slots(text: str) -> np.ndarray:
    """The 168 booleans of a pattern's text; `SlotError` names what is wrong."""
    mask = np.zeros(HOURS_PER_WEEK, dtype=bool)
    parts = [p.strip() for p in (text or "").split(";") if p.strip()]
    if not parts:
        raise SlotError("an empty pattern: give at least one hour slot (0–167) or a day range")
    for part in parts:
        m = _SLOT_PART.match(part)
        if m:
            start = int(m.group(1))
            end = int(m.group(2)) if m.group(2) is not None else start + 1
            if not 0 <= start <= HOURS_PER_WEEK - 1:
                raise SlotError(f"{part!r}: hour slot {start} is outside 0–167")
            if not 1 <= end <= HOURS_PER_WEEK:
                raise SlotError(f"{part!r}: a range ends at most at 168 (half-open)")
            if end <= start:
                raise SlotError(f"{part!r}: end {end} is before (or at) start {start}")
            mask[start:end] = True
            continue
        m = _DAY_PART.match(part.lower())
        if not m:
            raise SlotError(
                f"{part!r}: expected a slot range like '18-32' or days and hours like 'lun-ven 18:00-08:00'"
            )
        days = _days(m.group(1), part)
        h0, h1 = _hour(m.group(2), m.group(3), part), _hour(m.group(4), m.group(5), part)
        if h0 == 24:
            raise SlotError(f"{part!r}: a range starts at 0–23 h")
        length = (h1 - h0) % 24 or 24  # end ≤ start runs past midnight; equal means a whole day
        for d in days:
            idx = (d * 24 + h0 + np.arange(length)) % HOURS_PER_WEEK
            mask[idx] = True
    return mask


def pack(masks: np.ndarray) -> np.ndarray:
    """(n, 168) booleans → (n, 3) uint64 words, bit k of word w = slot 64·w + k."""
    masks = np.atleast_2d(np.asarray(masks, dtype=bool))
    padded = np.zeros((masks.shape[0], WORDS * 64), dtype=bool)
    padded[:, :HOURS_PER_WEEK] = masks
    packed = np.packbits(padded.reshape(-1, WORDS, 64), axis=2, bitorder="little")  # (n, 3, 8) bytes
    return np.ascontiguousarray(packed).view(np.uint64).reshape(-1, WORDS)


def unpack(words: np.ndarray) -> np.ndarray:
    """(n, 3) uint64 → (n, 168) booleans (inverse of `pack`)."""
    words = np.ascontiguousarray(np.atleast_2d(words), dtype=np.uint64)
    bits = np.unpackbits(words.view(np.uint8).reshape(-1, WORDS, 8), axis=2, bitorder="little")
    return bits.reshape(-1, WORDS * 64)[:, :HOURS_PER_WEEK].astype(bool)


def popcount(words: np.ndarray) -> np.ndarray:
    """Number of set slots per row of packed words."""
    return np.bitwise_count(words).sum(axis=-1).astype(np.int64)


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Maximal runs of set slots on the circular week as (start slot, length in hours)."""
    mask = np.asarray(mask, dtype=bool)
    if mask.all():
        return [(0, HOURS_PER_WEEK)]
    if not mask.any():
        return []
    shift = int(np.flatnonzero(~mask)[0])  # start scanning at a free hour so no run is cut
    rolled = np.roll(mask, -shift)
    edges = np.diff(np.concatenate([[0], rolled.astype(np.int8), [0]]))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    return [(int((s + shift) % HOURS_PER_WEEK), int(e - s)) for s, e in zip(starts, ends, strict=True)]


def describe(mask: np.ndarray, lang: str = "fr") -> str:
    """Readable weekly pattern: 'lun–ven 18:00–08:00 ; sam 00:00–dim 24:00' (runs grouped by day)."""
    days = DAYS_FR if lang == "fr" else DAYS_EN
    sep = " ; " if lang == "fr" else "; "
    if np.asarray(mask, dtype=bool).all():
        return "tout le temps" if lang == "fr" else "all week"
    found = runs(mask)
    if not found:
        return "jamais" if lang == "fr" else "never"
    groups: list[list[int]] = []  # runs with the same start hour and length on consecutive days
    for s, length in sorted(found, key=lambda r: (r[0] % 24, r[1], r[0])):
        last = groups[-1] if groups else None
        if last and last[2] == length and last[0] % 24 == s % 24 and (last[1] + 1) * 24 + s % 24 == s:
            last[1] += 1
        else:
            groups.append([s, s // 24, length])
    groups.sort()
    out = []
    for s, last_day, length in groups:
        d0, h0 = divmod(s, 24)
        end = s + length
        day_text = days[d0] if last_day == d0 else f"{days[d0]}–{days[last_day]}"
        if length > 24:  # spans days: name the end day
            ed, eh = divmod(end, 24)
            if eh == 0:
                ed, eh = ed - 1, 24
            out.append(f"{days[d0]} {h0:02d}:00–{days[ed % 7]} {eh:02d}:00")
        else:
            eh = end % 24 or 24
            out.append(f"{day_text} {h0:02d}:00–{eh:02d}:00")
    return sep.join(out)
