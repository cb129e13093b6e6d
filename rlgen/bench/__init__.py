"""Benchmarks: `python -m rlgen.bench NAME [--json PATH]` prints a table of ratios against peers measured in
the same run. Each module here exposes ``main(argv) -> int``."""
