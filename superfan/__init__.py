"""Superfan's composition root: settings, wiring, CLI, scheduler, WSGI entry. Nothing else imports it."""
