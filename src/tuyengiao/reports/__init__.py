"""Drafting and exporting periodic reports."""
