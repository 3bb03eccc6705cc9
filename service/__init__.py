"""meetwire: the news wire in, structured records of diplomatic meetings out."""

__version__ = "0.1.0"
