"""SQLAlchemy 2 storage (SQLite by default, PostgreSQL by URL)."""
