"""Periodic client reports: configuration, notebook runs, HTML pages, metrics and history."""
