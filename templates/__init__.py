"""Templates shipped with cxkit (client config, mapping, logs, report pages): package data."""
