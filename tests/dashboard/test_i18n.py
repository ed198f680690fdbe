"""Every visible string exists in French and English, with the same placeholders, and every key the
dashboard asks for is in the table."""

from __future__ import annotations

import re
import string
from pathlib import Path

from dashboard.consent import ConsentState
from dashboard.i18n import LANGUAGES, TEXTS, tr
from dashboard.sources import SourceKind
from symbiosis.domain.enums import Confidentiality, ResourceFamily
from symbiosis.matching.service import SortKey
from symbiosis.services import runs
from symbiosis.services.principal import Role
from symbiosis.services.synergies import SynergyStatus

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"
KEY_CALL = re.compile(r"""\b(?:t|tr)\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_key_has_both_languages_with_the_same_placeholders() -> None:
    for key, texts in TEXTS.items():
        assert set(texts) == set(LANGUAGES), key
        assert all(v.strip() for v in texts.values()), key
        assert _fields(texts["fr"]) == _fields(texts["en"]), key


def test_every_literal_key_used_by_the_dashboard_exists() -> None:
    used = {m for path in DASHBOARD.rglob("*.py") for m in KEY_CALL.findall(path.read_text(encoding="utf-8"))}
    assert len(used) > 80  # the scan really finds the pages' keys
    assert sorted(used - TEXTS.keys()) == []


def test_keys_built_from_enums_exist() -> None:
    built = (
        [f"family.{f}" for f in ResourceFamily]
        + [f"confidentiality.{c}" for c in Confidentiality]
        + [f"sort.{k}" for k in SortKey]
        + [f"source.{s}" for s in SourceKind]
        + [f"status.{s}" for s in SynergyStatus]
        + [f"role.{r}" for r in Role]
        + [f"consent_state.{s}" for s in ConsentState]
        + [f"runstatus.{s}" for s in (*runs.ACTIVE, *runs.FINAL)]
    )
    assert [k for k in built if k not in TEXTS] == []


def test_tr_fills_placeholders_in_each_language() -> None:
    assert tr("overview.title", "fr", territory="Kalundborg") == "Vue du territoire — Kalundborg"
    assert tr("overview.title", "en", territory="Kalundborg") == "Territory overview — Kalundborg"
