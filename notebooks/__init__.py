"""The report notebooks, shipped with cxkit as package data (``importlib.resources``)."""
