"""Benchmark scripts: run by hand (`python -m tests.benchmarks.NAME`), never timed by a test."""
