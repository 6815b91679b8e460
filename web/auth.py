"""Login with hashed passwords, a login rate limit, and role checks for every route."""
from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from functools import wraps

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import LoginManager, UserMixin, current_user, login_required, login_user, logout_user

from community.domain.model import Role
from community.services.accounts import authenticate
from web.services import services

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
login_manager.login_view = "auth.login"
HOME_BY_ROLE = {"admin": "triage.inbox", "manager": "triage.inbox", "staff": "staff.inbox",
                "superuser": "queue.inbox"}


class WebUser(UserMixin):
    """The logged-in user as Flask-Login sees it; wraps the domain User."""

    def __init__(self, user) -> None:
        self.user = user
        self.id = str(user.id)
        self.role = str(user.role)
        self.name = user.display_name or user.name


@login_manager.user_loader
def load_user(user_id: str):
    with services().uow() as uow:
        try:
            user = uow.users.get(int(user_id))
        except Exception:
            return None
    return WebUser(user) if user.active else None


def roles_required(*roles: str):
    """Allow a view only to logged-in users with one of ``roles`` (403 otherwise)."""
    allowed = {str(Role(r)) for r in roles}

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in allowed:
                abort(403, description="Your role may not open this page.")
            return view(*args, **kwargs)
        return wrapped
    return decorator


class LoginThrottle:
    """Refuse logins after too many failures per (name, address) within a minute."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self.failures: dict[tuple[str, str], deque] = defaultdict(deque)
        self.lock = threading.Lock()

    def _recent(self, key) -> deque:
        window = self.failures[key]
        while window and window[0] < time.monotonic() - 60:
            window.popleft()
        return window

    def blocked(self, key) -> bool:
        """Tell whether this key has used up its attempts."""
        with self.lock:
            return len(self._recent(key)) >= self.per_minute

    def fail(self, key) -> None:
        """Count one failed attempt."""
        with self.lock:
            self._recent(key).append(time.monotonic())


def _throttle() -> LoginThrottle:
    return current_app.extensions["login_throttle"]


@bp.route("/login", methods=["GET", "POST"])
def login():
    if request.method == "POST":
        name = request.form.get("username", "").strip()
        key = (name.lower(), request.remote_addr or "")
        if _throttle().blocked(key):
            flash("Too many failed logins. Wait a minute and try again.", "error")
            return render_template("login.html"), 429
        svc = services()
        with svc.uow() as uow:
            user = authenticate(uow, name, request.form.get("password", ""), svc.hasher)
        if user is None:
            _throttle().fail(key)
            flash("Wrong user name or password.", "error")
            return render_template("login.html"), 401
        login_user(WebUser(user))
        return redirect(url_for(HOME_BY_ROLE[str(user.role)]))
    return render_template("login.html")


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    return redirect(url_for("auth.login"))


@login_manager.unauthorized_handler
def unauthorized():
    if request.path.startswith("/api/"):
        abort(401, description="Log in first.")
    return redirect(url_for("auth.login", next=request.path))
