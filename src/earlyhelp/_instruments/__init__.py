"""The instruments: spider graphs and How Was It For You surveys (private).

Each instrument has a declaration read from profiles (``_*_rule.py``), a
per-record calculator that explains one record, and a bulk calculator over the
input tables in polars; the two agree (property tests).
"""
