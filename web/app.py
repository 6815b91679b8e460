"""Flask app factory: ``create_app(config, services)``; one blueprint per user group."""
from __future__ import annotations

from flask import Flask, redirect, url_for
from flask_login import current_user
from flask_wtf import CSRFProtect

from web import api, auth, errors, kb, nlp_feedback, queue, rewards, staff, threads, triage

# Areas add their blueprint module here (each exposes ``bp``).
BLUEPRINTS = [auth, triage, queue, staff, threads, api, rewards, kb, nlp_feedback]


def create_app(config: dict, services) -> Flask:
    """Build the web app around already-wired services (nothing connects here)."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY=config["SECRET_KEY"], SESSION_COOKIE_HTTPONLY=True,
                      SESSION_COOKIE_SAMESITE="Lax", WTF_CSRF_TIME_LIMIT=None)
    app.config.update({k: v for k, v in config.items() if k != "SECRET_KEY"})
    app.extensions["superfan"] = services
    app.extensions["login_throttle"] = auth.LoginThrottle(services.settings.app.login_attempts_per_minute)
    CSRFProtect(app)
    auth.login_manager.init_app(app)
    errors.register(app)
    for module in BLUEPRINTS:
        app.register_blueprint(module.bp)

    @app.get("/")
    def home():
        if not current_user.is_authenticated:
            return redirect(url_for("auth.login"))
        return redirect(url_for(auth.HOME_BY_ROLE[current_user.role]))

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'")
        return response

    return app
