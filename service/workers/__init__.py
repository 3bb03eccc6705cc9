"""Pipeline stages as stream workers: thin adapters between Redis streams and pure functions."""
