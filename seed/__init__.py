"""Demo data: a deterministic, fictional, scalable generator and its command line."""
