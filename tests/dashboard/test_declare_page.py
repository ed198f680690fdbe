"""The Declare page's bad-input corpus (dataset-folder source: checked by the domain models, not
written): each bad value gives one message, in the user's language, under its field — never a raw
Python dict, a pydantic sentence or the same message twice — and good French input passes."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

ENGLISH = ("Input should", "Field required", "value is not", "String should", "expected", "unknown unit")

CORPUS = [  # (field key, typed value, words the message must hold)
    ("d_qty", "", "Champ obligatoire"),
    ("d_qty", "douze", "« douze » : un nombre est attendu"),
    ("d_qty", "-5", "supérieur ou égal à 0"),
    ("d_qty", "1e400", "nombre fini"),
    ("d_qty", "inf", "nombre fini"),
    ("d_qty", "1,2,3", "un nombre est attendu"),
    ("d_unit", "bananes", "unité inconnue"),
    ("d_unit", "m³/h", "ce n'est pas une quantité de t par an"),
    ("d_id", "o new!", "lettres, chiffres"),
    ("d_output_temperature_c", "chaud", "un nombre est attendu"),
    ("d_output_purity_pct", "120", "inférieur ou égal à 100"),
]


def _fill(at: AppTest, **values: str) -> AppTest:
    base = {"d_id": "o_form", "d_qty": "12,5", "d_unit": "t/jour"}
    for key, value in {**base, **values}.items():
        at.text_input(key=key).input(value)
    at.selectbox(key="d_resource").set_value("fly_ash")
    return at.button[0].click().run()


@pytest.mark.parametrize(("key", "value", "words"), CORPUS)
def test_bad_input_is_one_french_message_under_its_field(
    app: Callable[[str], AppTest], key: str, value: str, words: str
) -> None:
    at = _fill(app("declare"), **{key: value})
    assert not at.exception
    messages = [e.value for e in at.error]
    assert messages[-1] == "1 champ(s) à corriger."
    (field_message,) = messages[:-1]  # once, not twice
    assert words in field_message
    assert "{" not in field_message and "CanonicalUnit" not in field_message
    assert not [w for w in ENGLISH if w in field_message]


def test_good_french_input_is_accepted(app: Callable[[str], AppTest]) -> None:
    at = _fill(app("declare"))
    assert not at.exception and not at.error
    (ok,) = [s.value for s in at.success]
    assert "o_form" in ok and "4\u202f562,5\u00a0t" in ok  # 12,5 t/jour × 365, in French format
