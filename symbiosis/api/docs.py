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

_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}} — API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS}/favicon.png">
</head>
<body>
<div id="swagger-ui"></div>
<script src="{ASSETS}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>
"""

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


_REDOC_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}} — API reference</title>
<link rel="icon" type="image/svg+xml" href="{REDOC_ASSETS}/logo-mini.svg">
</head>
<body>
<div id="redoc"></div>
<script src="{REDOC_ASSETS}/redoc.standalone.js"></script>
<script src="/redoc/init.js"></script>
</body>
</html>
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
    """``GET /docs`` (the page), ``/docs/init.js`` and ``/docs/assets/*`` (Swagger UI's files)."""
    favicon = (_static("fastapi") / "favicon.png").read_bytes()

    @app.get(f"{ASSETS}/favicon.png", include_in_schema=False)  # before the mount, which would hide it
    def swagger_favicon() -> Response:
        return Response(favicon, media_type="image/png")

    app.mount(ASSETS, StaticFiles(directory=swagger_path()), name="swagger-ui-assets")
    page = _PAGE.replace("{title}", app.title)
    init = _INIT % f'"{app.openapi_url}"'

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/init.js", include_in_schema=False)
    def swagger_init() -> Response:
        return Response(init, media_type="text/javascript")

    app.mount(REDOC_ASSETS, StaticFiles(directory=redoc_path()), name="redoc-assets")
    redoc_page = _REDOC_PAGE.replace("{title}", app.title)
    redoc_init = _REDOC_INIT % f'"{app.openapi_url}"'

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return HTMLResponse(redoc_page)

    @app.get("/redoc/init.js", include_in_schema=False)
    def redoc_start() -> Response:
        return Response(redoc_init, media_type="text/javascript")

    logo = (redoc_path() / "logo-mini.svg").read_bytes()

    @app.get("/redoc/logo-mini.svg", include_in_schema=False)
    def redoc_logo() -> Response:  # ReDoc's footer asks for it beside the page's own path
        return Response(logo, media_type="image/svg+xml")
