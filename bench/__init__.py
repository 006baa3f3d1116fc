"""Benchmarks for eventapp: `make bench` (= `python -m bench`) runs every `bench_*.py` module.

See `bench/README.md` for the small API a benchmark module uses and the figures measured.
"""
