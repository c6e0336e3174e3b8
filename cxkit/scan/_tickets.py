"""Service metrics on scanned tickets: :func:`cxkit.service_metrics`, ``fcr`` and ``reopen_rate``.

The per-ticket quantities of :mod:`cxkit.service` written as SQL over the validated rows, and
aggregated per group by DuckDB (:func:`cxkit.scan._grouped.aggregate`):

- hours from ``opened_at``: ``(epoch_us(t) - epoch_us(opened_at)) / 3.6e9``, the
  microseconds pandas divides by one hour;
- open: no ``resolved_at``; the FCR and reopen flags count resolved tickets only, as there;
- medians and 90th percentiles: ``quantile_cont``, linear interpolation between the closest
  ranks, as pandas' default (Hyndman and Fan's type 7). Exact quantiles hold a group's
  values: memory grows with the tickets of the largest group (8 bytes each), not with the
  groups alone as the counts do.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cxkit.scan._duck import name
from cxkit.scan._grouped import aggregate, columns
from cxkit.scan._scan import Scan

__all__ = ["rate_counts", "service_summary"]

_NULL = "CAST(NULL AS DOUBLE)"
#: Business-hours durations some helpdesk exports give (cxkit.service._BUSINESS).
_BUSINESS = ("first_response_business_h", "resolution_business_h")


def service_summary(
    scan: Scan, *, by, freq: str | None, period: pd.Period | None, date: str
) -> pd.DataFrame:
    """Give :func:`cxkit.service_metrics`' table for scanned tickets (its columns and order)."""
    known = columns(scan)
    terms = _terms(known)
    select = [
        "count(*) AS tickets",
        f"count(*) FILTER (WHERE NOT ({terms['resolved']})) AS open_tickets",
    ]
    times = [("first_response", terms["first"]), ("resolution", terms["resolution"])]
    times += [(c.removesuffix("_h"), f"CAST({name(c)} AS DOUBLE)") for c in _BUSINESS if c in known]
    for label, hours in times:
        select += [
            f"quantile_cont({hours}, 0.5) AS {label}_median_h",
            f"avg({hours}) AS {label}_mean_h",
            f"quantile_cont({hours}, 0.9) AS {label}_p90_h",
        ]
    select += [
        f"100 * avg({terms['fcr']}) AS fcr",
        f"100 * avg({terms['reopened']}) AS reopen_rate",
    ]
    table, _ = aggregate(
        scan, select, by=by, freq=freq, period=period, date=date, required=["opened_at"]
    )
    return table


def rate_counts(
    scan: Scan,
    outcome: str,
    *,
    by,
    freq: str | None,
    period: pd.Period | None,
    date: str,
    required: Sequence[str],
) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Count tickets with the ``outcome`` flag ("fcr" or "reopened") and those equal to 1.

    Returns the groups, the successes and the trials, as :func:`cxkit.service._rate` counts
    them (trials: resolved tickets with the flag known).
    """
    flag = _terms(columns(scan))[outcome]
    select = [f"count({flag}) AS _trial", f"count(*) FILTER (WHERE {flag} = 1) AS _success"]
    table, names = aggregate(
        scan, select, by=by, freq=freq, period=period, date=date,
        required=["opened_at", *required],
    )  # fmt: skip
    return table[names], table["_success"], table["_trial"]


def _terms(known: dict[str, str]) -> dict[str, str]:
    """Write each ticket's quantities as SQL, as :mod:`cxkit.service` computes them."""
    resolved = f"{name('resolved_at')} IS NOT NULL" if "resolved_at" in known else "false"

    def hours(column: str) -> str:
        if column not in known:
            return _NULL
        return f"(epoch_us({name(column)}) - epoch_us({name('opened_at')})) / 3600e6"

    reopened = _NULL
    if "reopened" in known:
        reopened = f"CASE WHEN {resolved} THEN CAST({name('reopened')} AS DOUBLE) END"
    fcr = _NULL
    if "contacts" in known:
        contacts = f"CAST({name('contacts')} AS DOUBLE)"
        one_contact = f"{contacts} = 1 AND NOT coalesce({reopened} = 1, false)"
        fcr = (
            f"CASE WHEN {resolved} AND {contacts} IS NOT NULL "
            f"THEN CAST({one_contact} AS DOUBLE) END"
        )
    return {
        "resolved": resolved,
        "first": hours("first_response_at"),
        "resolution": hours("resolved_at"),
        "reopened": reopened,
        "fcr": fcr,
    }
