"""The REST API: thin FastAPI routers over `symbiosis.services` (no Cypher, no rules here).

`create_app(settings)` builds the application; `symbiosis serve` runs it with uvicorn.
"""

from symbiosis.api.app import create_app

__all__ = ["create_app"]
