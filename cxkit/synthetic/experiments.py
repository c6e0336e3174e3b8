"""Two A/B tests planted in the synthetic responses: one true effect and one null.

The responses' own columns are made first and are never touched here: this module only adds
``experiment`` (the test a respondent was in, empty otherwise) and ``variant`` ("control" or
"treatment"), from a random stream of its own, so every other column stays as it was.

- **onboarding_email** (the true effect): a new onboarding e-mail, tested on every respondent
  surveyed after sign-up or onboarding. The NPS answers already exist, so the effect is
  planted through the assignment: a respondent whose NPS code (-1/0/+1) is c joins the
  treatment group with probability ½·(1 + a·(c - c̄)), c̄ the mean code of the test's
  respondents and a = δ / (2·Var(c)). The treatment group's expected NPS is then c̄ + a·Var(c)
  and the control group's c̄ - a·Var(c): δ apart, exactly the joint distribution of variant and
  NPS that a randomized test with a true effect of δ gives. Respondents without an NPS answer
  are assigned with probability ½. Answers that go with NPS (CSAT, ratings) rise with it, as
  they would if the e-mail improved the experience.
- **invoice_redesign** (the null): a redesigned invoice, tested on respondents surveyed after
  billing in the last twelve months; assignment is a fair coin, independent of every answer.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxkit.synthetic.vocab import TOUCHPOINTS

__all__ = ["EXPERIMENTS", "STREAM", "Experiment", "add_experiments", "eligible"]

#: Second key of the experiments' random stream: ``np.random.default_rng([seed, STREAM])``.
STREAM = 99


@dataclass(frozen=True)
class Experiment:
    """A planted A/B test: who was in it, when, and its true effect on NPS (points)."""

    name: str
    what: str
    touchpoints: tuple[str, ...]  # survey triggers (touchpoint keys) of the test's respondents
    start: str
    end: str  # inclusive month
    nps_effect: float  # planted treatment - control, NPS points


EXPERIMENTS = (
    Experiment(
        "onboarding_email",
        "a new onboarding e-mail",
        ("signup", "onboarding"),
        "2024-11",
        "2026-10",
        12.0,
    ),
    Experiment("invoice_redesign", "a redesigned invoice", ("billing",), "2025-11", "2026-10", 0.0),
)


def eligible(responses: pd.DataFrame, experiment: Experiment) -> np.ndarray:
    """Mark the responses that ``experiment`` ran on (survey trigger and month)."""
    names = {tp.key: (tp.en, tp.es) for tp in TOUCHPOINTS}
    labels = [label for key in experiment.touchpoints for label in names[key]]
    month = responses["responded_at"].dt.strftime("%Y-%m")
    return (
        responses["touchpoint"].astype("object").isin(labels)
        & (month >= experiment.start)
        & (month <= experiment.end)
    ).to_numpy()


def _treatment_probability(nps: pd.Series, effect: float) -> np.ndarray:
    """P(treatment | NPS answer) that plants ``effect`` points between the two halves."""
    score = nps.to_numpy(dtype="float64", na_value=np.nan)
    code = np.where(score >= 9, 1.0, np.where(score <= 6, -1.0, 0.0))
    answered = ~np.isnan(score)
    var = code[answered].var() if answered.sum() > 1 else 0.0
    if effect == 0 or var == 0:
        return np.full(len(score), 0.5)
    tilt = (effect / 100) / (2 * var)
    centred = np.where(answered, code - code[answered].mean(), 0.0)
    return np.clip(0.5 * (1 + tilt * centred), 0.0, 1.0)


def add_experiments(responses: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Return ``responses`` with ``experiment`` and ``variant`` columns added (see module)."""
    n = len(responses)
    experiment = np.full(n, None, dtype=object)
    variant = np.full(n, None, dtype=object)
    for exp in EXPERIMENTS:  # two experiments: a loop over tests, not rows
        rows = np.flatnonzero(eligible(responses, exp))
        chance = _treatment_probability(responses["nps"].iloc[rows], exp.nps_effect)
        treated = rng.random(len(rows)) < chance
        experiment[rows] = exp.name
        variant[rows] = np.where(treated, "treatment", "control")
    out = responses.copy()
    out["experiment"] = experiment
    out["variant"] = variant
    return out
