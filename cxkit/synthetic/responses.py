"""Synthetic survey responses with planted driver weights and a planted NPS dip.

Truth model (documented in the sample README): for respondent *i*,

    L_i = 7.3 + segment effect + sum_j w_j (r_ij - m_j) + e_i,   e_i ~ N(0, 1.6)
    nps_i = clip(round(L_i), 0, 10)

where r_ij is the 1-5 rating of touchpoint j (unrated touchpoints contribute 0), m_j its usual
mean and w_j the planted driver weight. Ratings share a respondent-level disposition, so they
correlate as real touchpoint ratings do; the disposition reaches NPS only through the ratings.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.synthetic.vocab import (
    CHANNEL_SHARE,
    CHANNELS,
    COMMENTS,
    HOSTILE_COMMENTS,
    INCIDENT,
    POPULATION_SHARE,
    RESPONSE_SHARE,
    SEGMENTS,
    TOUCHPOINTS,
    WINDOW_END,
    WINDOW_START,
)

SEGMENT_EFFECT = (0.2, 0.0, -0.3)
NPS_BASE = 8.3
NPS_NOISE = 1.6
#: Post-stratification weights: population share / response share per segment.
POST_STRATIFICATION = tuple(p / r for p, r in zip(POPULATION_SHARE, RESPONSE_SHARE, strict=True))
CES_TOUCHPOINTS = ("signup", "onboarding", "billing", "support")


def _when(customers: pd.DataFrame, seg: np.ndarray, rng: np.random.Generator):
    """Pick a time for each response, then a customer of its segment active at that time.

    Volume grows 50% over the window; customers are drawn by vectorised rejection sampling.
    """
    span = (WINDOW_END - WINDOW_START).total_seconds()
    u = rng.random(len(seg))
    at = WINDOW_START.to_datetime64() + ((np.sqrt(1 + 1.25 * u) - 1) / 0.25 * span / 2).astype(
        "timedelta64[s]"
    )
    start = customers["start_date"].to_numpy()
    end = customers["end_date"].fillna(WINDOW_END).to_numpy()
    codes = customers["segment"].cat.codes.to_numpy()
    pools = [np.flatnonzero(codes == s) for s in range(3)]
    who = np.full(len(seg), -1, dtype=np.int64)
    todo = np.arange(len(seg))
    while todo.size:  # each round accepts most rows; a handful of rounds in all
        pick = np.empty(todo.size, dtype=np.int64)
        for s, pool in enumerate(pools):
            mask = seg[todo] == s
            pick[mask] = pool[rng.integers(0, len(pool), mask.sum())]
        ok = (start[pick] <= at[todo]) & (at[todo] < end[pick])
        who[todo[ok]] = pick[ok]
        todo = todo[~ok]
    return who, pd.DatetimeIndex(at)


def _ratings(n: int, month: pd.Series, rng: np.random.Generator):
    """Rated-or-not and 1-5 ratings for every touchpoint, with the support incident."""
    disposition = rng.normal(0, 0.8, n)
    drop = month.map({m: v[0] for m, v in INCIDENT.items()}).fillna(0.0).to_numpy()
    reach_support = month.map({m: v[1] for m, v in INCIDENT.items()}).to_numpy(dtype=float)
    ratings, rated = {}, {}
    for tp in TOUCHPOINTS:  # twelve touchpoints: a loop over columns
        reach = np.full(n, tp.reach)
        mean = np.full(n, tp.mean)
        if tp.key == "support":
            reach = np.where(np.isnan(reach_support), reach, reach_support)
            mean = mean - drop
        rated[tp.key] = rng.random(n) < reach
        value = np.clip(np.round(mean + disposition + rng.normal(0, 0.7, n)), 1, 5)
        ratings[tp.key] = value
    return ratings, rated


def make_responses(
    n: int, customers: pd.DataFrame, rng: np.random.Generator, lang: str
) -> pd.DataFrame:
    """``n`` survey responses over the two survey years, ordered by time."""
    seg = rng.choice(3, size=n, p=RESPONSE_SHARE)
    who, at = _when(customers, seg, rng)
    order = np.argsort(at.to_numpy(), kind="stable")
    seg, who, at = seg[order], who[order], at[order]
    month = pd.Series(at.strftime("%Y-%m"))
    ratings, rated = _ratings(n, month, rng)
    trigger = _trigger(rated, rng)
    latent = NPS_BASE + np.asarray(SEGMENT_EFFECT)[seg] + rng.normal(0, NPS_NOISE, n)
    for tp in TOUCHPOINTS:
        latent += np.where(rated[tp.key], tp.weight * (ratings[tp.key] - tp.mean), 0.0)
    nps = np.clip(np.round(latent), 0, 10)
    frame = pd.DataFrame(
        {
            "response_id": [f"R{i:07d}" for i in range(1, n + 1)],
            "customer_id": customers["customer_id"].to_numpy()[who],
            "responded_at": at,
            "nps": _some(nps, 0.94, rng),
            "csat": _some(
                np.clip(np.round(3.9 + 0.45 * (latent - NPS_BASE) + rng.normal(0, 0.6, n)), 1, 5),
                0.85,
                rng,
            ),
            "ces": _ces(trigger, ratings, rng),
            "segment": pd.Categorical.from_codes(seg, SEGMENTS[lang]),
            "channel": pd.Categorical.from_codes(
                rng.choice(5, size=n, p=CHANNEL_SHARE), CHANNELS[lang]
            ),
            "touchpoint": pd.Categorical.from_codes(
                trigger, [getattr(tp, lang) for tp in TOUCHPOINTS]
            ),
            "stage": np.asarray([tp.stage for tp in TOUCHPOINTS])[trigger],
            "comment": _comments(nps, rng, lang),
            "weight": np.round(np.asarray(POST_STRATIFICATION)[seg], 4),
        }
    )
    for tp in TOUCHPOINTS:
        frame[f"rating_{tp.key}"] = pd.array(
            np.where(rated[tp.key], ratings[tp.key], np.nan), dtype="Float64"
        ).astype("Int8")
    return frame


def _trigger(rated: dict[str, np.ndarray], rng: np.random.Generator) -> np.ndarray:
    """Pick the touchpoint each survey was sent after, and mark it rated."""
    reach = np.array([tp.reach for tp in TOUCHPOINTS])
    trigger = rng.choice(
        len(TOUCHPOINTS), size=len(next(iter(rated.values()))), p=reach / reach.sum()
    )
    for j, tp in enumerate(TOUCHPOINTS):
        rated[tp.key] |= trigger == j
    return trigger


def _some(values: np.ndarray, share: float, rng: np.random.Generator) -> pd.array:
    """Keep ``share`` of the values (a question not every survey asks)."""
    kept = np.where(rng.random(len(values)) < share, values, np.nan)
    return pd.array(kept, dtype="Float64").astype("Int8")


def _ces(trigger: np.ndarray, ratings: dict[str, np.ndarray], rng: np.random.Generator) -> pd.array:
    """Effort (1-7, higher is easier), asked after service-like touchpoints only."""
    keys = [tp.key for tp in TOUCHPOINTS]
    asked = np.isin(trigger, [keys.index(k) for k in CES_TOUCHPOINTS])
    own = np.choose(trigger, [ratings[k] for k in keys])
    ease = np.clip(np.round(4.9 + 0.8 * (own - 3.5) + rng.normal(0, 1.0, len(trigger))), 1, 7)
    return pd.array(np.where(asked, ease, np.nan), dtype="Float64").astype("Int8")


def _comments(nps: np.ndarray, rng: np.random.Generator, lang: str) -> np.ndarray:
    """Comments for 30% of responses: 80% in ``lang``, 20% in the other language."""
    n = len(nps)
    other = "es" if lang == "en" else "en"
    group = np.where(nps <= 6, "detractor", np.where(nps <= 8, "passive", "promoter"))
    use_other = rng.random(n) < 0.2
    out = np.full(n, None, dtype=object)
    for language, mask in ((lang, ~use_other), (other, use_other)):
        for name, texts in COMMENTS[language].items():
            hit = mask & (group == name)
            out[hit] = np.asarray(texts, dtype=object)[rng.integers(0, len(texts), hit.sum())]
    out[rng.random(n) >= 0.30] = None
    for i, text in enumerate(HOSTILE_COMMENTS):  # among the very last responses: the last month
        out[n - 2 - 3 * i] = text
    return out
