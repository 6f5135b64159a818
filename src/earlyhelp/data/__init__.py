"""Data files shipped with earlyhelp: the demo dataset in ``demo/``."""
