"""Benchmarks and evaluation scripts; each prints figures with ratios to a baseline."""
