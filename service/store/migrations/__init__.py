"""The sink database's Alembic migration environment (``env.py``, ``versions/``)."""
