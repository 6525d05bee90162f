"""Data layer: engine, models, vocabularies, permissions, audit, reads, writes and metrics.
Nothing below this package imports Streamlit, so it runs the same in the app, the CLIs,
the seed generator, the benchmark and the tests."""
