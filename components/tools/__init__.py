"""Benchmarks, load generators and the soak: tools apart from the product code."""
