"""Shared pydantic configuration."""

from pydantic import BaseModel, ConfigDict

from symbiosis.domain.bounds import EDGE_CONFIG


class Frozen(BaseModel):
    """Immutable, strict about unknown fields: a typo in a column name is an error, not silence.

    Every number must be finite (JSON ``Infinity``/``NaN`` are refused, not stored as null) and
    every text at most `MAX_TEXT_CHARS` long: the edge bounds of `symbiosis.domain.bounds`
    (`EDGE_CONFIG`) apply to every model through this one base.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True, **EDGE_CONFIG)


IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$"
