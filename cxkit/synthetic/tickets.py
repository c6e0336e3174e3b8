"""Synthetic support tickets: response and resolution times, repeat contacts, reopenings.

Times are lognormal by channel (medians below, in hours); during the planted support incident,
email first responses are slower (:data:`~cxkit.synthetic.vocab.INCIDENT_EMAIL_SLOWDOWN`).

Ticket satisfaction (``csat``, 1-5) is added afterwards by :func:`add_ticket_csat`, from a
random stream of its own (``default_rng([seed, CSAT_STREAM])``), so the other columns stay as
they were: :data:`CSAT_RATED_SHARE` of resolved tickets are rated, and an agent's rating is
top-2-box (4 or 5) with that agent's planted probability :data:`AGENT_TOP2`. A new agent,
:data:`NEW_AGENT`, takes over :data:`NEW_AGENT_TICKETS` resolved tickets of the last month (the
only change to ``agent``), all rated 5, though the agent's true rate is the team's average:
what empirical-Bayes shrinkage should pull back.
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

#: Second key of the ticket ratings' random stream: ``np.random.default_rng([seed, CSAT_STREAM])``.
CSAT_STREAM = 97
#: Share of resolved tickets whose customer rated them (open tickets are never rated).
CSAT_RATED_SHARE = 0.42
#: Planted probability that an agent's rating is 4 or 5 (top-2-box).
AGENT_TOP2 = dict(
    zip(
        AGENTS,
        (0.82, 0.74, 0.90, 0.68, 0.78, 0.65, 0.86, 0.72, 0.80, 0.70, 0.88, 0.76),
        strict=True,
    )
)
#: Given top-2-box: P(5), else P(4). Given not: P(1), P(2), P(3).
TOP_SPLIT, LOW_SPLIT = 0.6, (0.2, 0.3, 0.5)
NEW_AGENT, NEW_AGENT_TICKETS = "Mateo", 3
#: The new agent's true top-2-box rate: the team's average.
NEW_AGENT_TOP2 = round(sum(AGENT_TOP2.values()) / len(AGENT_TOP2), 3)


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


def add_ticket_csat(tickets: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return ``tickets`` with a ``csat`` column and the new agent's tickets (see module)."""
    n = len(tickets)
    agent = tickets["agent"].to_numpy(dtype=object).copy()
    resolved = tickets["resolved_at"].notna().to_numpy()
    last_month = (tickets["opened_at"] >= WINDOW_END.to_period("M").start_time).to_numpy()
    pool = np.flatnonzero(resolved & last_month)
    if len(pool) < NEW_AGENT_TICKETS:  # a tiny sample: the last resolved tickets instead
        pool = np.flatnonzero(resolved)[-NEW_AGENT_TICKETS:]
    newcomer = rng.choice(pool, min(NEW_AGENT_TICKETS, len(pool)), replace=False)
    agent[newcomer] = NEW_AGENT
    p_top2 = pd.Series(agent).map({**AGENT_TOP2, NEW_AGENT: NEW_AGENT_TOP2}).to_numpy(float)
    good = rng.random(n) < p_top2
    high = np.where(rng.random(n) < TOP_SPLIT, 5, 4)
    low = rng.choice([1, 2, 3], size=n, p=LOW_SPLIT)
    rated = resolved & (rng.random(n) < CSAT_RATED_SHARE)
    score = np.where(good, high, low).astype("float64")
    rated[newcomer], score[newcomer] = True, 5.0
    out = tickets.copy()
    out["agent"] = agent
    out["csat"] = pd.array(np.where(rated, score, np.nan), dtype="Float64").astype("Int8")
    return out
