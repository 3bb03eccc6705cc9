"""The ``meetwire`` command line."""
