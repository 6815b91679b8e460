"""Turn domain errors and HTTP errors into HTML pages or JSON, in one place."""
from __future__ import annotations

from flask import flash, jsonify, redirect, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from community.domain.errors import Conflict, Forbidden, InvalidTransition, NotFound, SuperfanError, ValidationError

STATUS = {NotFound: 404, Forbidden: 403, InvalidTransition: 409, Conflict: 409, ValidationError: 400}


def status_for(exc: SuperfanError) -> int:
    """Return the HTTP status of a domain error."""
    return next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def register(app) -> None:
    """Install the error handlers on the app."""

    @app.errorhandler(SuperfanError)
    def domain_error(exc: SuperfanError):
        code = status_for(exc)
        if _wants_json():
            return jsonify(error=type(exc).__name__, message=str(exc)), code
        if request.method == "POST" and request.referrer and code in (400, 409):
            flash(str(exc), "error")
            return render_template("error.html", code=code, message=str(exc)), code
        return render_template("error.html", code=code, message=str(exc)), code

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        if _wants_json():
            return jsonify(error="CSRFError", message=exc.description), 400
        return render_template("error.html", code=400, message=exc.description), 400

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        if exc.code == 401 and not _wants_json():
            return redirect("/login")
        if _wants_json():
            return jsonify(error=exc.name, message=exc.description), exc.code
        return render_template("error.html", code=exc.code, message=exc.description), exc.code
