"""The instruments: spider graphs, How Was It For You surveys, case file audits, NEET and children's centres (private).

Each instrument has a per-record calculator that explains one record and a bulk
calculator over the input tables in polars; the two agree (property tests).
Spider graphs and surveys also have a declaration read from profiles
(``_*_rule.py``).
"""
