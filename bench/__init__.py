"""Benchmark: fills databases with the demo generator at several scales and measures every
page with Streamlit's AppTest (cold, warm, uncached), SQL time and count, memory and the rows
handed to charts and tables. Run `python -m bench.run --help`."""
