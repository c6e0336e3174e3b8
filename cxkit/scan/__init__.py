"""Metrics over exports larger than memory: :func:`scan`, counted by DuckDB (see ``_scan``)."""

from cxkit.scan._scan import Scan, scan

__all__ = ["Scan", "scan"]
