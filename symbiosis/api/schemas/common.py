"""Shared pieces: pages, errors, and deriving request models from domain models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model
from pydantic.fields import FieldInfo

from symbiosis.domain.bounds import EDGE_CONFIG


class IssuePublic(BaseModel):
    location: str
    field: str
    value: Any = None
    expected: str


class ErrorPublic(BaseModel):
    """Every error answer: a sentence, and for invalid input every problem found."""

    detail: str
    errors: list[IssuePublic] = Field(default_factory=list)


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": ErrorPublic, "description": "not logged in, or the token is invalid or expired"},
    403: {"model": ErrorPublic, "description": "your role may not do this"},
    404: {"model": ErrorPublic, "description": "no such object, or not one you may see"},
    422: {
        "model": ErrorPublic,
        "description": "invalid input: every field at fault, its value and what is expected",
    },
    503: {"model": ErrorPublic, "description": "the graph store is unreachable"},
}


def update_schema(
    name: str,
    model: type[BaseModel],
    *,
    exclude: frozenset[str] = frozenset(),
    example: dict[str, Any] | None = None,
) -> type[BaseModel]:
    """Every field optional; only the fields sent change (the domain model re-validates the whole)."""
    fields: dict[str, Any] = {}
    for fname, info in model.model_fields.items():
        if fname in exclude:
            continue
        annotation: Any = info.annotation
        fields[fname] = (annotation | None, FieldInfo(default=None, description=info.description))
    examples: Any = {"examples": [example]} if example else None
    config = ConfigDict(extra="forbid", **EDGE_CONFIG, json_schema_extra=examples)
    return create_model(name, __config__=config, **fields)


def changes(body: BaseModel) -> dict[str, Any]:
    """The fields a client actually sent in an update."""
    return body.model_dump(exclude_unset=True)
