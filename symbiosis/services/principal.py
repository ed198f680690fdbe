"""Who is calling: a user's role and scope, as every service function sees it."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from symbiosis.services.errors import Forbidden


class Role(StrEnum):
    ADMIN = "admin"  # everything
    AGENCY = "agency"  # facilitator of one or more territories (sub-territories included)
    COMPANY = "company"  # one firm: its sites and declarations; matches redacted until consent
    ANALYST = "analyst"  # read-only aggregates


@dataclass(frozen=True)
class Principal:
    user_id: str
    email: str
    role: Role
    territory_ids: tuple[str, ...] = ()
    firm_id: str | None = None
    extra: dict[str, str] = field(default_factory=dict, compare=False)

    def require(self, *roles: Role) -> None:
        """Refuse a role that may never call this, whatever the object (→ 403)."""
        if self.role not in roles:
            allowed = ", ".join(r.value for r in roles)
            raise Forbidden(f"role {self.role.value!r} may not do this (allowed: {allowed})")

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN
