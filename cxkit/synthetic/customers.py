"""Synthetic customers (with churn) and their orders."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.synthetic.vocab import HISTORY_START, POPULATION_SHARE, SEGMENTS, WINDOW_END

#: Planted monthly churn hazard, median monthly revenue and monthly order rate by segment
#: (Consumer, Small business, Enterprise).
MONTHLY_CHURN = (0.030, 0.020, 0.010)
MEDIAN_REVENUE = (30.0, 250.0, 2500.0)
ORDERS_PER_MONTH = (0.25, 0.40, 0.60)
MEDIAN_ORDER = (40.0, 300.0, 2000.0)
DAYS_PER_MONTH = 365.25 / 12


def make_customers(n: int, rng: np.random.Generator, lang: str) -> pd.DataFrame:
    """Make customers who joined over four years, with exponential lifetimes by segment.

    ``end_date`` is empty for customers still active on the data set's last day.
    """
    seg = rng.choice(3, size=n, p=POPULATION_SHARE)
    span = (WINDOW_END.normalize() - HISTORY_START).days
    # More sign-ups later (growing business): density rising linearly over the span.
    start = HISTORY_START + pd.to_timedelta(np.floor(span * np.sqrt(rng.random(n))), unit="D")
    mean_life = DAYS_PER_MONTH / np.asarray(MONTHLY_CHURN)[seg]
    end = start + pd.to_timedelta(np.ceil(rng.exponential(mean_life)), unit="D")
    end = pd.Series(end).where(end <= WINDOW_END.normalize())
    revenue = np.round(rng.lognormal(np.log(np.asarray(MEDIAN_REVENUE)[seg]), 0.5), 2)
    return pd.DataFrame(
        {
            "customer_id": [f"C{i:06d}" for i in range(1, n + 1)],
            "segment": pd.Categorical.from_codes(seg, SEGMENTS[lang]),
            "start_date": start.normalize(),
            "end_date": end.dt.normalize(),
            "revenue": revenue,
        }
    )


def make_orders(customers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Orders placed while each customer was active: Poisson counts, lognormal amounts."""
    seg = customers["segment"].cat.codes.to_numpy()
    last = customers["end_date"].fillna(WINDOW_END.normalize())
    days = (last - customers["start_date"]).dt.days.to_numpy()
    counts = rng.poisson(np.asarray(ORDERS_PER_MONTH)[seg] * days / DAYS_PER_MONTH)
    who = np.repeat(np.arange(len(customers)), counts)
    offset = np.floor(rng.random(len(who)) * (days[who] + 1))
    dates = customers["start_date"].to_numpy()[who] + pd.to_timedelta(offset, unit="D")
    amount = np.round(rng.lognormal(np.log(np.asarray(MEDIAN_ORDER)[seg[who]]), 0.6), 2)
    orders = pd.DataFrame(
        {
            "customer_id": customers["customer_id"].to_numpy()[who],
            "order_date": dates,
            "amount": amount,
        }
    )
    return orders.sort_values(["order_date", "customer_id"], kind="stable").reset_index(drop=True)
