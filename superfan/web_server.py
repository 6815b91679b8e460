"""Build the Flask app from services and serve it."""
from __future__ import annotations

import click

from web.app import create_app


def make_app(services):
    """Create the Flask app for already-wired services."""
    return create_app({"SECRET_KEY": services.settings.app.secret_key}, services)


def serve_forever(services, host: str, port: int) -> None:
    """Serve the web app with a threaded WSGI server until interrupted."""
    from werkzeug.serving import run_simple

    click.echo(f"Superfan is running on http://{host}:{port}/  (Ctrl+C stops it)")
    run_simple(host, port, make_app(services), threaded=True, use_reloader=False)
