"""WSGI entry point: ``gunicorn superfan.wsgi:app`` (settings from SUPERFAN_SETTINGS or ./settings.toml)."""
from superfan.bootstrap import build_services
from superfan.settings import load_settings
from superfan.web_server import make_app


def create() -> object:
    """Load settings, wire services and return the WSGI app."""
    return make_app(build_services(load_settings()))


app = create()
