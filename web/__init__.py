"""Superfan web app: Flask app factory, one blueprint per user group, JSON API."""
