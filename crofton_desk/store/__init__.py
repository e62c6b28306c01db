"""Persistence: SQLAlchemy models, database opening, migrations, seed, backup, audit."""
