"""Benchmarks: `python -m bench [name ...]` (or `make bench ONLY=name`).

Each module that does not start with an underscore is one benchmark. It defines `run()`, which
yields one dict per case (`case`, `rows`, `app_ms`, and where meaningful `floor_ms`, `ratio`);
`__main__` adds `bench` and `db` and prints each as one JSON line on stdout. Progress goes to
stderr. The benchmarks use their own database (see `_common.configure`), never the demo one.
"""
