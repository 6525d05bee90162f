"""Reads for pages: each takes the acting user and filters and returns small DataFrames or
data models, aggregated in SQL, with confidential fields already redacted."""
