"""Customer lifetime value with constant retention: m · r / (1 + d - r)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit._grouping import by_names
from cxkit.errors import CxkitError
from cxkit.retention import churn_rate
from cxkit.survey import By

__all__ = ["clv"]


def clv(
    data: pd.DataFrame,
    *,
    orders: pd.DataFrame | None = None,
    by: By = None,
    freq: str = "M",
    discount_rate: float = 0.01,
    margin_rate: float = 1.0,
    as_of=None,
) -> pd.DataFrame:
    """Estimate customer lifetime value per group, from observed retention and margin.

    Parameters
    ----------
    data : DataFrame
        Canonical customers (``start_date``, ``end_date``, ``revenue``, ``by`` columns).
    orders : DataFrame, optional
        Canonical orders (``customer_id``, ``order_date``, ``amount``). When given, the margin
        is order value per active customer-period; otherwise ``revenue`` (revenue per period
        per customer) is averaged.
    by : str or list of str, optional
        Groups, e.g. "segment" (default none: one overall value).
    freq : str
        The period length of retention, margin and discount rate ("M" monthly, "Q", "Y").
    discount_rate : float
        Discount rate per period d (0.01 a month is about 12.7% a year).
    margin_rate : float
        Share of revenue kept as margin (1.0: revenue is already a margin).

    Returns
    -------
    DataFrame
        Group columns, then ``customers, customer_periods, churned, retention_rate`` (percent
        per period), ``margin``, ``discount_rate`` (percent per period) and ``clv`` (in the
        currency of the margin). Customers who joined, and orders placed, after ``as_of`` are
        left out.

    Notes
    -----
    With constant per-period retention r, margin m per period and discount rate d, a customer
    worth m each period they stay is worth, at the start of a period,

        CLV = Σ_{t≥1} m r^t / (1 + d)^t = m · r / (1 + d - r)

    (Gupta & Lehmann, 2003). r = 1 - (churned / customer_periods), pooled over all periods of
    :func:`cxkit.churn_rate` (r is a fraction in the formula; the table shows it in
    percent). CLV is undefined when no customer-period was observed or when r ≥ 1 + d (no
    churn and no discounting: the sum does not converge); that raises an error.

    References
    ----------
    Gupta, S., & Lehmann, D. R. (2003). Customers as assets. *Journal of Interactive
    Marketing*, 17(1), 9-24.
    """
    if not 0 <= discount_rate < 1:
        raise CxkitError(
            f"`discount_rate` is per period and must be in [0, 1); got {discount_rate!r}."
        )
    names = by_names(by)
    customers = data
    if as_of is not None:  # nothing after the day the data describe: customers, orders
        as_of = pd.Timestamp(as_of)
        customers = data[data["start_date"] <= as_of]
        if orders is not None and "order_date" in orders.columns:
            orders = orders[orders["order_date"] <= as_of]
    churn = churn_rate(customers, freq=freq, by=names or None, as_of=as_of)
    pooled = (
        churn.groupby(names, observed=True, sort=True)[["n", "churned"]].sum()
        if names
        else churn[["n", "churned"]].sum().to_frame().T
    )
    pooled = pooled.rename(columns={"n": "customer_periods"})
    sizes = customers.groupby(names, observed=True).size() if names else pd.Series([len(customers)])
    margin = _margin(customers, orders, names, pooled, margin_rate)
    out = pooled.assign(customers=sizes.reindex(pooled.index).to_numpy(), margin=margin)
    out["retention_rate"] = 1 - out["churned"] / out["customer_periods"].replace(0, np.nan)
    out["discount_rate"] = 100 * discount_rate  # percent per period, as every rate
    _check_defined(out, discount_rate)
    out["clv"] = out["margin"] * out["retention_rate"] / (1 + discount_rate - out["retention_rate"])
    out["retention_rate"] = 100 * out["retention_rate"]
    out = out.reset_index() if names else out.reset_index(drop=True)
    return out[
        [
            *names,
            "customers",
            "customer_periods",
            "churned",
            "retention_rate",
            "margin",
            "discount_rate",
            "clv",
        ]
    ]


def _margin(
    customers: pd.DataFrame,
    orders: pd.DataFrame | None,
    names: list[str],
    pooled: pd.DataFrame,
    margin_rate: float,
) -> np.ndarray:
    if orders is None:
        if "revenue" not in customers.columns:
            raise CxkitError("no `orders` given and customers have no 'revenue' column: pass one.")
        mean = (
            customers.groupby(names, observed=True)["revenue"].mean()
            if names
            else pd.Series([customers["revenue"].mean()])
        )
        return margin_rate * mean.reindex(pooled.index).to_numpy()
    keyed = orders.merge(customers[["customer_id", *names]], on="customer_id", how="left")
    total = (
        keyed.groupby(names, observed=True)["amount"].sum()
        if names
        else pd.Series([keyed["amount"].sum()])
    )
    with np.errstate(invalid="ignore", divide="ignore"):
        return (
            margin_rate
            * total.reindex(pooled.index).to_numpy()
            / pooled["customer_periods"].to_numpy()
        )


def _check_defined(table: pd.DataFrame, discount_rate: float) -> None:
    empty = table["customer_periods"] == 0
    never = table["retention_rate"] >= 1 + discount_rate
    if empty.any() or never.any():
        which = table.index[empty | never].tolist()
        raise CxkitError(
            f"CLV is undefined for {which}: "
            + (
                "no customer was active at the start of any period"
                if empty.any()
                else "nobody churned and the discount rate is 0, so value never stops accruing"
            )
            + ". Use a longer history, a positive `discount_rate`, or leave those groups out."
        )
