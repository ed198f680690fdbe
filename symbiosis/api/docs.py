"""The API documentation served by the API itself — never from a CDN, so it works on an offline
machine and its Content-Security-Policy can allow our own origin only (no inline script: each
page's start-up code is a file too):

* `/docs`: Swagger UI 5 (Apache-2.0) and
* `/redoc`: ReDoc (MIT),

both from the files the ``fastapi-standalone-docs`` PyPI package ships (only its static files are
used). Swagger UI must be 5.x: 4.x (the ``swagger-ui-bundle`` package, used before) cannot read the
OpenAPI 3.1 FastAPI writes and showed "Unable to render this definition". ReDoc's search runs in a
Web Worker made from a ``blob:`` URL, which the docs' CSP allows (`worker-src blob:`); no web font
is loaded.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

ASSETS = "/docs/assets"
REDOC_ASSETS = "/redoc/assets"

_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
{head}
</head>
<body>
<div id="{element}"></div>
<script src="{bundle}"></script>
<script src="{url}/init.js"></script>
</body>
</html>
"""
"""Both viewers' page: the bundle and the start-up code are our own files (no inline script)."""

_SWAGGER_HEAD = f"""<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS}/favicon.png">"""
_REDOC_HEAD = f"""<link rel="icon" type="image/svg+xml" href="{REDOC_ASSETS}/logo-mini.svg">"""

_INIT = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: %s,
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout"
  });
};
"""


_REDOC_INIT = """Redoc.init(%s, {hideDownloadButton: false}, document.getElementById("redoc"));
"""


def _static(folder: str) -> Path:
    """A folder of the static files inside the installed ``fastapi-standalone-docs``."""
    spec = importlib.util.find_spec("fastapi_standalone_docs")
    if spec is None or spec.origin is None:
        raise RuntimeError("fastapi-standalone-docs is not installed: `make install` installs it (API docs)")
    return Path(spec.origin).parent / "static" / folder


def redoc_path() -> Path:
    """The folder of ``redoc.standalone.js``."""
    return _static("redoc")


def swagger_path() -> Path:
    """The folder of Swagger UI 5's ``swagger-ui-bundle.js`` and ``swagger-ui.css``."""
    return _static("swagger")


def install(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` (ReDoc): each a page, its ``init.js`` and its assets."""
    # files requested at fixed places, registered before the mounts, which would hide them
    _serve_bytes(app, f"{ASSETS}/favicon.png", _static("fastapi") / "favicon.png", "image/png")
    # ReDoc's footer asks for its logo beside the page's own path
    _serve_bytes(app, "/redoc/logo-mini.svg", redoc_path() / "logo-mini.svg", "image/svg+xml")
    swagger = _PAGE.format(
        title=f"{app.title} — API", head=_SWAGGER_HEAD, element="swagger-ui",
        bundle=f"{ASSETS}/swagger-ui-bundle.js", url="/docs",
    )  # fmt: skip
    redoc = _PAGE.format(
        title=f"{app.title} — API reference", head=_REDOC_HEAD, element="redoc",
        bundle=f"{REDOC_ASSETS}/redoc.standalone.js", url="/redoc",
    )  # fmt: skip
    _serve_viewer(app, "/docs", ASSETS, swagger_path(), swagger, _INIT)
    _serve_viewer(app, "/redoc", REDOC_ASSETS, redoc_path(), redoc, _REDOC_INIT)


def _serve_bytes(app: FastAPI, url: str, path: Path, media_type: str) -> None:
    data = path.read_bytes()

    @app.get(url, include_in_schema=False)
    def one_file() -> Response:
        return Response(data, media_type=media_type)


def _serve_viewer(app: FastAPI, url: str, assets_url: str, assets: Path, html: str, init: str) -> None:
    """``url`` (the page ``html``), ``url/init.js`` (its start-up code ``init``, pointed at our
    OpenAPI document) and ``assets_url/*`` (the viewer's files)."""
    app.mount(assets_url, StaticFiles(directory=assets), name=f"{url.strip('/')}-assets")
    script = init % f'"{app.openapi_url}"'

    @app.get(url, include_in_schema=False)
    def viewer() -> HTMLResponse:
        return HTMLResponse(html)

    @app.get(f"{url}/init.js", include_in_schema=False)
    def viewer_init() -> Response:
        return Response(script, media_type="text/javascript")
