"""`create_app`: the FastAPI application — routers, error handlers, and the service context.

The lifespan builds the `ServiceContext` (refusing to start in production without a secret),
marks runs a previous process left running as failed, and on shutdown stops running workers.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from symbiosis import __version__
from symbiosis.api import docs, errors
from symbiosis.api.middleware import BodyLimit, SecurityHeaders
from symbiosis.api.routers import (
    aggregates,
    auth,
    bulk,
    consents,
    declarations,
    firms,
    health,
    knowledge,
    matches,
    pools,
    runs,
    sites,
    synergies,
    territories,
    users,
)
from symbiosis.api.schemas.common import ERROR_RESPONSES
from symbiosis.errors import GraphStoreUnavailable
from symbiosis.services import runs as run_service
from symbiosis.services.context import ServiceContext
from symbiosis.services.runs import JobRunner
from symbiosis.settings import Settings, get_settings

log = logging.getLogger("symbiosis.api")

GIL_SWITCH_S = 0.001
"""Python's thread switch interval while the API runs (default 5 ms). A request spends most of its
time waiting on store round trips, and each time it gets an answer it must take the GIL back from
whatever thread computes — the match cache's background rebuild, ~250 ms of CPU a second under
writes. With 5 ms per hand-back and ~8 round trips per write, that alone added tens of ms to every
request during a rebuild (bench/bench_concurrency.py, docs/API.md)."""

DESCRIPTION = """Industrial-symbiosis matchmaking: firms declare what they give off and need, agencies
find and follow exchanges. Log in at `POST /auth/token` (OAuth2 password flow), then send
`Authorization: Bearer <token>`. Roles: **admin**, **agency** (its territories), **company** (its firm;
partners hidden until both consent), **analyst** (aggregates only). See docs/API.md for a walk-through."""


def create_app(settings: Settings | None = None, ctx: ServiceContext | None = None) -> FastAPI:
    """The application. ``ctx`` lets tests share one context (one driver) between several apps."""
    settings = settings or get_settings()
    context = ctx or ServiceContext.create(settings)  # raises Misconfigured before anything listens

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.ctx = context
        app.state.jobs = JobRunner(context)
        sys.setswitchinterval(GIL_SWITCH_S)
        try:
            n = run_service.recover(context)
            if n:
                log.warning("marked %d interrupted run(s) as failed", n)
            reaped = context.repo().reap_dead_imports()  # a crashed import's leftovers, publish gate
            if reaped:
                log.warning("cleaned the staged leftovers of %d interrupted import(s)", len(reaped))
        except GraphStoreUnavailable as exc:
            context.graph.reset()
            log.warning("graph store unavailable at start-up (%s): interrupted runs are settled later", exc)
        yield
        app.state.jobs.shutdown()
        if ctx is None:
            context.close()

    app = FastAPI(
        title="symbiosis",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        responses=ERROR_RESPONSES,
        docs_url=None,  # served from our own files: symbiosis.api.docs
        redoc_url=None,
    )
    app.state.ctx = context
    errors.install(app)
    docs.install(app)
    app.add_middleware(BodyLimit, settings=settings)
    app.add_middleware(SecurityHeaders, settings=settings)
    for module in (health, auth, users, territories, firms, sites, knowledge, matches, pools, runs, synergies,
                   consents, bulk, aggregates):  # fmt: skip
        app.include_router(module.router)
    app.include_router(declarations.outputs)
    app.include_router(declarations.inputs)
    # water targets on the tables sent (issue 17)
    from symbiosis.api.routers import water

    app.include_router(water.router)
    # -- sharing (issue 19): offers, needs, matches, allocation, bookings; docs/SHARING.md --
    from symbiosis.api.routers import sharing

    app.include_router(sharing.router)
    return app
