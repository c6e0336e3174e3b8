"""Synthetic support tickets: response and resolution times, repeat contacts, reopenings.

Times are lognormal by channel (medians below, in hours); during the planted support incident,
email first responses are slower (:data:`~cxkit.synthetic.vocab.INCIDENT_EMAIL_SLOWDOWN`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.synthetic.vocab import (
    AGENTS,
    INCIDENT,
    INCIDENT_EMAIL_SLOWDOWN,
    TICKET_CHANNEL_SHARE,
    TICKET_CHANNELS,
    WINDOW_END,
    WINDOW_START,
)

#: Median hours (Email, Phone, Chat) and lognormal sigma for first response and resolution.
FIRST_RESPONSE_MEDIAN_H = (4.0, 0.02, 0.05)
FIRST_RESPONSE_SIGMA = (1.0, 0.5, 0.8)
RESOLUTION_MEDIAN_H = (20.0, 1.0, 2.0)
RESOLUTION_SIGMA = 1.2
#: Probability that a ticket needs one contact only; extra contacts are geometric.
ONE_CONTACT = 0.72
REOPEN_ONE_CONTACT, REOPEN_MORE = 0.04, 0.15
OPEN_RECENT_DAYS, OPEN_RECENT_SHARE, OPEN_ANY_SHARE = 14, 0.5, 0.01


def make_tickets(
    n: int, customers: pd.DataFrame, rng: np.random.Generator, lang: str
) -> pd.DataFrame:
    """``n`` tickets opened over the two survey years, ordered by opening time."""
    span = (WINDOW_END - WINDOW_START).total_seconds()
    opened = WINDOW_START + pd.to_timedelta(np.sort(rng.random(n)) * span, unit="s")
    opened = pd.DatetimeIndex(opened).floor("s")
    channel = rng.choice(3, size=n, p=TICKET_CHANNEL_SHARE)
    incident = pd.Index(opened.strftime("%Y-%m")).isin(list(INCIDENT)[:3])
    slow = np.where(incident & (channel == 0), INCIDENT_EMAIL_SLOWDOWN, 1.0)
    first_h = rng.lognormal(
        np.log(np.asarray(FIRST_RESPONSE_MEDIAN_H)[channel] * slow),
        np.asarray(FIRST_RESPONSE_SIGMA)[channel],
    )
    resolve_h = first_h + rng.lognormal(
        np.log(np.asarray(RESOLUTION_MEDIAN_H)[channel]), RESOLUTION_SIGMA
    )
    contacts = 1 + np.where(rng.random(n) < ONE_CONTACT, 0, rng.geometric(0.6, n))
    reopened = rng.random(n) < np.where(contacts == 1, REOPEN_ONE_CONTACT, REOPEN_MORE)
    age_days = (WINDOW_END - opened).days.to_numpy()
    still_open = (rng.random(n) < OPEN_ANY_SHARE) | (
        (age_days < OPEN_RECENT_DAYS) & (rng.random(n) < OPEN_RECENT_SHARE)
    )
    first = opened + pd.to_timedelta(np.round(first_h * 3600), unit="s")
    resolved = opened + pd.to_timedelta(np.round(resolve_h * 3600), unit="s")
    still_open |= resolved > WINDOW_END  # nothing is resolved after the data set's last day
    return pd.DataFrame(
        {
            "ticket_id": [f"T{i:07d}" for i in range(1, n + 1)],
            "customer_id": customers["customer_id"].to_numpy()[rng.integers(0, len(customers), n)],
            "channel": pd.Categorical.from_codes(channel, TICKET_CHANNELS[lang]),
            "agent": np.asarray(AGENTS)[rng.integers(0, len(AGENTS), n)],
            "opened_at": opened,
            "first_response_at": pd.Series(first).where(first <= WINDOW_END),
            "resolved_at": pd.Series(resolved).where(~still_open),
            "contacts": contacts,
            "reopened": np.where(reopened, "yes", "no"),
        }
    )
