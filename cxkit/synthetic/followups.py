"""The sample client's detractor follow-up log (``follow_up.csv``).

Who on the CX team called back which unhappy respondent, when, and with what outcome: one row
per follow-up, ``response_id, who, when, outcome``. Made from the finished responses with a
random stream of its own (``default_rng([seed, STREAM])``), so no other file changes.

Truth planted: in the months :data:`MONTHS`, a response is *due* a follow-up when its NPS is 0-6
or its CSAT 1-2. :data:`FOLLOW_UP_SHARE` of them are followed up, after a lognormal delay of
median :data:`DELAY_MEDIAN_DAYS` days (sigma :data:`DELAY_SIGMA`), capped at
:data:`DELAY_MAX_DAYS` days, so some miss a two-day SLA. A follow-up that would fall after the
data set's last day has not happened yet and is not in the log. ``who`` is one of :data:`STAFF`
and ``outcome`` one of :data:`OUTCOMES`, each at random. Nothing is planted about later scores: a
follow-up changes nothing the customer answers afterwards.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.synthetic.vocab import WINDOW_END

__all__ = ["FOLLOW_UP_SHARE", "MONTHS", "STREAM", "due_follow_up", "make_follow_ups"]

#: Second key of the follow-up log's random stream: ``np.random.default_rng([seed, STREAM])``.
STREAM = 96
MONTHS = ("2026-08", "2026-10")  # first and last month (inclusive)
FOLLOW_UP_SHARE = 0.70
DELAY_MEDIAN_DAYS, DELAY_SIGMA, DELAY_MAX_DAYS = 1.5, 0.7, 6.0
SLA_DAYS = 2
STAFF = ("Marta", "Tomás", "Priya", "Owen")
OUTCOMES = ("resolved", "callback", "no answer")
OUTCOME_SHARE = (0.5, 0.3, 0.2)


def due_follow_up(responses: pd.DataFrame) -> np.ndarray:
    """Mark the responses due a follow-up: NPS 0-6 or CSAT 1-2, in :data:`MONTHS`."""
    month = responses["responded_at"].dt.strftime("%Y-%m")
    unhappy = (responses["nps"] <= 6).fillna(False) | (responses["csat"] <= 2).fillna(False)
    return (unhappy & (month >= MONTHS[0]) & (month <= MONTHS[1])).to_numpy(dtype=bool)


def make_follow_ups(responses: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Make the follow-up log of ``responses`` (see module), in the order of the responses."""
    due = np.flatnonzero(due_follow_up(responses))
    n = len(due)
    followed = rng.random(n) < FOLLOW_UP_SHARE
    days = np.minimum(rng.lognormal(np.log(DELAY_MEDIAN_DAYS), DELAY_SIGMA, n), DELAY_MAX_DAYS)
    when = responses["responded_at"].to_numpy()[due] + np.round(days * 86_400).astype(
        "timedelta64[s]"
    )
    who = np.asarray(STAFF, dtype=object)[rng.integers(0, len(STAFF), n)]
    outcome = np.asarray(OUTCOMES, dtype=object)[rng.choice(len(OUTCOMES), n, p=OUTCOME_SHARE)]
    keep = followed & (when <= WINDOW_END.to_datetime64())
    return pd.DataFrame(
        {
            "response_id": responses["response_id"].to_numpy()[due][keep],
            "who": who[keep],
            "when": pd.DatetimeIndex(when[keep]),
            "outcome": outcome[keep],
        }
    )
