"""The ``superfan`` command line: one click group; each area adds its commands from ``superfan.commands``."""
from __future__ import annotations

import importlib
import logging
import sys

import click

from superfan.settings import SettingsError, load_settings

# Each module exposes ``commands: list[click.Command]``; one module per area keeps edits apart.
COMMAND_MODULES = ("core", "listening", "nlp", "routing", "rewards", "kb")


class AppContext:
    """Lazily loaded settings and services shared by the commands of one invocation."""

    def __init__(self, settings_path: str | None) -> None:
        self.settings_path = settings_path
        self._settings = None
        self._services = None

    @property
    def settings(self):
        if self._settings is None:
            try:
                self._settings = load_settings(self.settings_path)
            except SettingsError as exc:
                raise click.ClickException(str(exc)) from exc
        return self._settings

    @property
    def services(self):
        if self._services is None:
            from superfan.bootstrap import build_services

            self._services = build_services(self.settings)
        return self._services

    def close(self) -> None:
        """Release database connections at the end of the command."""
        if self._services is not None:
            self._services.engine.dispose()


pass_app = click.make_pass_decorator(AppContext)


@click.group()
@click.option("--settings", "settings_path", envvar="SUPERFAN_SETTINGS", type=click.Path(dir_okay=False),
              help="Settings file (default: ./settings.toml).")
@click.pass_context
def main(ctx: click.Context, settings_path: str | None) -> None:
    """Superfan: listen to the brand's customers everywhere, route every mention, reward super-users."""
    ctx.obj = AppContext(settings_path)
    ctx.call_on_close(ctx.obj.close)
    level = logging.INFO
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    logging.getLogger("alembic").setLevel(logging.WARNING)


for _name in COMMAND_MODULES:
    for _command in importlib.import_module(f"superfan.commands.{_name}").commands:
        main.add_command(_command)
