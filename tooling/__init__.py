"""Tooling beside the library: benchmarks and load generators (not imported by the site)."""
