"""The worker's default timings, apart from `worker.py` so the CLI can show them in its help
without importing the worker (and with it SQLAlchemy and pandas) for every command."""

DEFAULT_INTERVAL = 300  # seconds between feed refreshes
DEFAULT_POLL = 5.0  # seconds between looks at an empty queue
