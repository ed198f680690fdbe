"""`ServiceContext`: everything a service function needs, built once per process.

The API builds one in its lifespan and hands it to routes through a dependency; the dashboard or
a script can build its own with the same settings.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from symbiosis.graph.app_state import AppStateRepository
from symbiosis.services.cache import AppCache, TerritoryTree
from symbiosis.services.graph_provider import GraphProvider
from symbiosis.services.security import Passwords, TokenIssuer, resolve_secret
from symbiosis.settings import Settings


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass
class ServiceContext:
    settings: Settings
    graph: GraphProvider
    tokens: TokenIssuer
    passwords: Passwords
    cache: AppCache = field(default_factory=AppCache)

    @staticmethod
    def create(settings: Settings, passwords: Passwords | None = None) -> ServiceContext:
        """Refuses (`Misconfigured`) to build without a usable secret, before anything listens."""
        return ServiceContext(
            settings=settings,
            graph=GraphProvider(settings),
            tokens=TokenIssuer(resolve_secret(settings)),
            passwords=passwords or Passwords(),
        )

    def repo(self) -> AppStateRepository:
        return self.graph.repo()

    def tree(self) -> TerritoryTree:
        return self.cache.tree(lambda: self.repo().all_territories())

    def close(self) -> None:
        self.graph.close()
