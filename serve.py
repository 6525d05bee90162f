"""The server: Streamlit's ASGI app around app.py, with what a deployment needs that Streamlit's
config cannot say. Start it with `streamlit run serve.py` (or `uvicorn serve:app`).

- In production it refuses to start, with the reason on stderr and a non-zero exit, when the
  cookie key is missing or the database still has the demo logins (components/shell.py), so a
  health check never reports a server that cannot serve safely.
- Pages are routed by app.py's st.navigation from the very first request. Streamlit routes by
  the pages/ folder until some session has called st.navigation (shared/style.md): without this, a
  fresh server's first visitor would see the folder's page names before the login form.
- Every response says it may not be framed by another site (clickjacking), is not sniffed as
  another type, and sends no referrer elsewhere; /_stcore/metrics is not served.
The app's own frames (its components) are same-origin, so framing by the app itself stays allowed."""
from __future__ import annotations

import os
import sys
from contextlib import asynccontextmanager

import streamlit as st
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from streamlit.runtime.pages_manager import PagesManager

from components.shell import SERVED_BY, production_problems

SECURITY_HEADERS = {
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": "frame-ancestors 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HIDDEN_PATHS = ("/_stcore/metrics",)

os.environ[SERVED_BY] = "serve.py"
# What st.navigation itself sets on its first call, set before any session exists: no request
# is ever routed to a file in pages/ on its own (the role guard still covers `streamlit run
# app.py`, components/guard.py).
PagesManager.uses_pages_directory = False


class SecurityHeaders:
    """Pure ASGI middleware (websockets pass through untouched)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if scope["path"].startswith(HIDDEN_PATHS):
            return await PlainTextResponse("Not found", status_code=404)(scope, receive, send)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.decode().lower() not in {name.lower() for name in SECURITY_HEADERS}]
                headers += [(name.lower().encode(), value.encode()) for name, value in SECURITY_HEADERS.items()]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


@asynccontextmanager
async def preflight(_app):
    """Production: configuration, then migrations (several processes take a lock), then the
    checks that need the database, all before the first request is served."""
    from db import config
    from db.engine import DatabaseUnavailable
    from db.startup import prepare_database
    from seed.generator import load_demo_data

    problems: list[str] = []
    try:
        if config.app_mode() == config.PRODUCTION:
            config.cookie_key()
            prepare_database(demo_loader=load_demo_data)
            problems = production_problems()
    except (config.ConfigError, DatabaseUnavailable) as error:
        problems = [str(error)]
    if problems:
        print("The app will not start:\n- " + "\n- ".join(problems), file=sys.stderr, flush=True)
        raise SystemExit(2)
    yield


app = st.App("app.py", lifespan=preflight, middleware=[Middleware(SecurityHeaders)])
