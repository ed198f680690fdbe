"""One settings object, read from ``SYMBIOSIS_*`` environment variables.

Safe local defaults (the embedded graph store, its data under ``.symbiosis/``) so that a fresh
clone runs; production points ``SYMBIOSIS_NEO4J_URI`` at a Neo4j 5 server and must give its
password and the API secret explicitly.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from symbiosis import DATASETS_DIR, REPO_DIR


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="SYMBIOSIS_", env_file=None, extra="ignore")

    # Graph store. No URI → the embedded ArcadeDB server (Bolt on 127.0.0.1) is used.
    neo4j_uri: str | None = Field(default=None, description="bolt:// or neo4j:// URI of a Neo4j 5 server")
    neo4j_user: str = "neo4j"
    neo4j_password: str | None = None
    neo4j_database: str | None = Field(default=None, description="database name; server default if unset")
    write_batch_size: int = Field(default=2000, ge=1, le=100_000)

    # Embedded graph store (ArcadeDB with its Bolt plugin).
    home_dir: Path = Field(default=REPO_DIR / ".symbiosis", description="local state: embedded data, runs")
    embedded_bolt_port: int = Field(default=0, ge=0, le=65535, description="0 picks a free port")
    embedded_http_port: int = Field(default=0, ge=0, le=65535, description="0 picks a free port")
    embedded_heap: str = "2g"
    embedded_start_timeout_s: float = 60.0

    # Which local server runs when no URI is set: the embedded ArcadeDB (PyPI only, the default) or
    # Neo4j Community 5.26 from Maven Central (needs Java 17+ and Maven; symbiosis.graph.neo4j_local).
    graph_engine: Literal["arcadedb", "neo4j"] = "arcadedb"
    neo4j_local_bolt_port: int = Field(default=0, ge=0, le=65535, description="0 picks a free port")
    neo4j_local_heap: str = "768m"
    neo4j_local_pagecache: str = "256m"
    neo4j_local_start_timeout_s: float = 180.0

    datasets_dir: Path = DATASETS_DIR

    # API
    mode: str = Field(default="development", pattern="^(development|production)$")
    api_secret: str | None = None
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    dashboard_port: int = 8501
    # Hostile-input limits and auth hardening (docs/SECURITY.md)
    max_upload_mb: int = Field(default=200, ge=1, le=10_000, description="POST /imports: total upload size")
    max_unpacked_mb: int = Field(
        default=1024, ge=1, le=100_000, description="what one uploaded .zip may unpack to"
    )
    max_body_kb: int = Field(default=1024, ge=1, description="any other request body")
    min_free_disk_mb: int = Field(
        default=1024, ge=0, description="/health reports degraded below this much free space under home_dir"
    )
    login_max_failures: int = Field(
        default=5, ge=1, description="wrong passwords per account (and 4x that per client) before a lockout"
    )
    login_lockout_s: int = Field(
        default=900, ge=1, description="lockout length, and the window failures count in"
    )
    dashboard_require_sign_in: bool = Field(
        default=False,
        description="every dashboard page asks for sign-in first (false: the local analyst desktop mode)",
    )

    @property
    def embedded(self) -> bool:
        """True when symbiosis runs its own local server (ArcadeDB or Neo4j, see `graph_engine`)."""
        return not self.neo4j_uri

    @property
    def embedded_dir(self) -> Path:
        return self.home_dir / "graph"

    @property
    def neo4j_local_dir(self) -> Path:
        return self.home_dir / "neo4j"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
