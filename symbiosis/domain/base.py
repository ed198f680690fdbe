"""Shared pydantic configuration."""

from pydantic import BaseModel, ConfigDict


class Frozen(BaseModel):
    """Immutable, strict about unknown fields: a typo in a column name is an error, not silence."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


IDENTIFIER_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.:\-]{0,127}$"
