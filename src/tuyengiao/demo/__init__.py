"""Demo data for `make demo`: above everything (it may import every app; nothing imports it)."""
