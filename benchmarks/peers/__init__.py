"""The peers of benchmarks/bench_inbox.py: officer scripts run by their own Python (venv.py)."""
