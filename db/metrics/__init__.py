"""Metric definitions, one function each with its definition in the docstring, unit-tested on
small hand-computed data. Pages and reports call these; nothing computes a metric twice."""
