"""`symbiosis sharing` on the example park end to end; its JSON and iCalendar outputs read back."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import icalendar
from typer.testing import CliRunner

from symbiosis.cli import app

from .conftest import need, offer

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "datasets" / "sharing_plaine_ain"


def test_example_park_end_to_end(tmp_path: Path) -> None:
    out_json, out_ics = tmp_path / "a.json", tmp_path / "a.ics"
    res = CliRunner().invoke(
        app, ["sharing", str(EXAMPLE), "--year", "2026", "--json", str(out_json), "--ics", str(out_ics)]
    )
    assert res.exit_code == 0, res.output
    assert "Occupation hebdomadaire avant → après" in res.output and "Presque-appariements" in res.output
    doc = json.loads(out_json.read_text(encoding="utf-8"))
    allocated = {(p["need_id"], p["offer_id"]) for p in doc["allocated"]}
    # the mairie's 400 m² hall on Tuesday evening: Mécanique D (Tue+Thu 19–22) beats Chimie B (Tue 18–21)
    assert ("sport_meca", "salle_mairie") in allocated and ("sport_chimie", "salle_mairie") not in allocated
    assert all(p["fits"] for p in doc["allocated"])
    # one HSE officer on Tuesday mornings: Mécanique D (4 h) rather than Agro C (3 h)
    assert ("qhse_meca", "qhse_chimie") in allocated and ("qhse_agro", "qhse_chimie") not in allocated
    occ = {o["offer_id"]: o for o in doc["occupancy"]}
    assert occ["parking_logistique"]["hours_before"] == 70 and occ["parking_logistique"]["hours_after"] == 140
    assert sum(occ["salle_mairie"]["after"]) == occ["salle_mairie"]["hours_after"]
    cal = icalendar.Calendar.from_ical(out_ics.read_bytes())
    events = [e for e in cal.walk("VEVENT")]
    assert len({str(e["uid"]).split("--")[0] for e in events}) == len(doc["allocated"])
    sport = [e for e in events if str(e["uid"]).startswith("sport_meca--")]
    starts = sorted(e.decoded("dtstart") for e in sport)
    # 2026 starts on a Thursday: Thursday 1 January then Tuesday 6 January, 19:00 Paris time
    assert [(s.date().isoformat(), s.weekday(), s.hour) for s in starts] == [
        ("2026-01-01", 3, 19),
        ("2026-01-06", 1, 19),
    ]
    assert all(e.decoded("duration") == timedelta(hours=3) for e in sport)
    assert str(starts[0].tzinfo) == "Europe/Paris"
    conv = [e for e in events if str(e["uid"]).startswith("convention_startup--")]
    assert (
        len(conv) == 1 and conv[0].decoded("dtstart").date().isoformat() == "2026-03-05"
    )  # first Thursday of March
    assert conv[0]["rrule"]["UNTIL"][0].date().isoformat() == "2026-03-31"


def test_bad_input_is_one_clear_error_without_traceback(make_dataset, tmp_path: Path) -> None:
    folder = make_dataset([offer()], [need(slots="170"), need(id="n2", category="piscine")])
    import subprocess
    import sys

    res = subprocess.run(
        [sys.executable, "-c", "from symbiosis.cli import main; main()", "sharing", str(folder)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert res.returncode == 1 and "Traceback" not in res.stderr
    assert "sharing_needs.csv row 2: field 'slots' = '170'" in res.stderr
    assert "sharing_needs.csv row 3: field 'category' = 'piscine'" in res.stderr


def test_option_errors() -> None:
    res = CliRunner().invoke(app, ["sharing", str(EXAMPLE), "--lang", "de"])
    assert res.exit_code != 0 and "--lang" in str(res.exception)
