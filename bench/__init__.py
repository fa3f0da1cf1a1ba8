"""Benchmarks kept beside the code, so their figures can be re-measured on any machine."""
