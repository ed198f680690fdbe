"""The interactive API documentation (Swagger UI) served by the API itself, from the files of the
``swagger-ui-bundle`` PyPI package — never from a CDN, so `/docs` works on an offline machine and
its Content-Security-Policy can allow our own origin only (no inline script: the start-up code is
a file too). ReDoc is not served: no PyPI package ships it; `/openapi.json` feeds any other viewer.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from swagger_ui_bundle import swagger_ui_path

ASSETS = "/docs/assets"

_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{{title}} — API</title>
<link rel="stylesheet" href="{ASSETS}/swagger-ui.css">
<link rel="icon" type="image/png" href="{ASSETS}/favicon-32x32.png">
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


def install(app: FastAPI) -> None:
    """``GET /docs`` (the page), ``/docs/init.js`` and ``/docs/assets/*`` (Swagger UI's files)."""
    app.mount(ASSETS, StaticFiles(directory=swagger_ui_path), name="swagger-ui-assets")
    page = _PAGE.replace("{title}", app.title)
    init = _INIT % f'"{app.openapi_url}"'

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(page)

    @app.get("/docs/init.js", include_in_schema=False)
    def swagger_init() -> Response:
        return Response(init, media_type="text/javascript")
