"""The synthetic client: deterministic, and its planted truths are really in the data.

Every expected value below is a planted parameter from cxkit/synthetic (quoted in
data/samples/README.md), checked against a plain computation on generated data.
"""

import filecmp

import numpy as np
import pandas as pd
import pytest

from cxkit.experiments import ab_test, power
from cxkit.synthetic import customers as cust
from cxkit.synthetic import generate, write_sample_data
from cxkit.synthetic.experiments import EXPERIMENTS, STREAM, eligible
from cxkit.synthetic.readme import driver_fit, experiment_groups
from cxkit.synthetic.vocab import (
    HOSTILE_COMMENTS,
    INCIDENT,
    INCIDENT_EMAIL_SLOWDOWN,
    POPULATION_SHARE,
    TOUCHPOINTS,
)


@pytest.fixture(scope="module")
def big():
    return generate(150_000, seed=11)


def nps(scores):
    """NPS in points: 100 * (share of 9-10 - share of 0-6)."""
    s = scores.dropna()
    return 100 * ((s >= 9).mean() - (s <= 6).mean())


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = generate(2_000, seed=5), generate(2_000, seed=5), generate(2_000, seed=6)
    pd.testing.assert_frame_equal(a.responses, b.responses)
    pd.testing.assert_frame_equal(a.tickets, b.tickets)
    assert not a.responses["nps"].equals(c.responses["nps"])


def test_committed_samples_are_what_the_generator_writes(samples, tmp_path):
    written = write_sample_data(tmp_path)
    different = [p.name for p in written if not filecmp.cmp(p, samples / p.name, shallow=False)]
    assert not different, (
        f"data/samples differs from the generator's output in {different}; regenerate with "
        "`cxkit sample-data --out data/samples` and commit."
    )


def test_planted_driver_weights_are_recovered(big):
    # The README's claim: least squares on the truth model's design recovers the weights in order
    # and proportion, shrunk (not distorted) by NPS rounding and the cap at 10.
    fitted = driver_fit(big.responses)
    planted = np.array([tp.weight for tp in TOUCHPOINTS])
    strong = planted >= 0.2
    ratio = fitted[strong] / planted[strong]
    assert np.all((ratio > 0.65) & (ratio < 0.95)), dict(
        zip([t.key for t in TOUCHPOINTS], fitted, strict=True)
    )
    assert np.all(np.abs(fitted[planted == 0]) < 0.05)
    assert list(np.argsort(-fitted[strong])) == list(np.argsort(-planted[strong]))


def test_planted_nps_dip_and_recovery(big):
    r = big.responses
    month = r["responded_at"].dt.strftime("%Y-%m")
    by_month = r.groupby(month)["nps"].apply(nps)  # 24 groups; test code, not library code
    before = by_month.loc["2025-05":"2025-10"].mean()
    after = by_month.loc["2026-04":"2026-09"].mean()
    for m in ("2025-11", "2025-12"):
        assert by_month[m] < before - 8, (m, by_month[m], before)
    assert abs(after - before) < 4  # recovered
    assert by_month["2026-02"] > by_month["2025-12"]  # recovering as the incident fades
    assert set(INCIDENT) <= set(by_month.index)


def test_weights_restore_population_segment_shares(big):
    r = big.responses
    shares = r.groupby("segment", observed=True)["weight"].sum() / r["weight"].sum()
    np.testing.assert_allclose(shares.to_numpy(), POPULATION_SHARE, atol=0.01)


def test_churn_hazard_by_segment():
    c = generate(200_000, seed=2).customers  # 50,000 customers
    last = c["end_date"].fillna(pd.Timestamp("2026-10-31"))
    months = (last - c["start_date"]).dt.days / cust.DAYS_PER_MONTH
    churned = c["end_date"].notna()
    codes = c["segment"].cat.codes
    # exponential lifetimes: hazard = events / exposure (the maximum-likelihood estimate)
    hazard = [churned[codes == s].sum() / months[codes == s].sum() for s in range(3)]
    np.testing.assert_allclose(hazard, cust.MONTHLY_CHURN, rtol=0.1)


def test_tickets_incident_slowdown_and_sanity(big):
    t = big.tickets
    first_h = (t["first_response_at"] - t["opened_at"]).dt.total_seconds() / 3600
    email = t["channel"].cat.codes == 0
    incident = t["opened_at"].dt.strftime("%Y-%m").isin(list(INCIDENT)[:3])
    ratio = first_h[email & incident].median() / first_h[email & ~incident].median()
    assert INCIDENT_EMAIL_SLOWDOWN * 0.85 < ratio < INCIDENT_EMAIL_SLOWDOWN * 1.15
    assert (
        t["first_response_at"].dropna() >= t.loc[t["first_response_at"].notna(), "opened_at"]
    ).all()
    resolved = t["resolved_at"].notna()
    assert (t.loc[resolved, "resolved_at"] >= t.loc[resolved, "opened_at"]).all()
    assert (t["contacts"] >= 1).all()
    assert 0 < (~resolved).mean() < 0.05


def test_comments_in_both_languages_and_hostile_ones(big):
    comments = big.responses["comment"].dropna()
    assert comments.str.contains("soporte|entrega|bienvenida", case=False).any()
    assert comments.str.contains("support|delivery|onboarding", case=False).any()
    for text in HOSTILE_COMMENTS:
        assert (comments == text).sum() == 1
    assert 0.25 < big.responses["comment"].notna().mean() < 0.35


def test_every_stage_and_touchpoint_appears(big):
    r = big.responses
    assert set(r["stage"]) == {"attract", "accept", "adopt", "amplify", "advance"}
    assert r["touchpoint"].nunique() == len(TOUCHPOINTS)
    # the trigger touchpoint is always rated
    key = {tp.en: tp.key for tp in TOUCHPOINTS}
    rated = [pd.notna(row[f"rating_{key[row['touchpoint']]}"]) for _, row in r.head(500).iterrows()]
    assert all(rated)


def test_experiment_columns_leave_every_other_column_as_it_was():
    # generate() without the experiments, by hand: the same calls on the same stream
    from cxkit.synthetic.customers import make_customers
    from cxkit.synthetic.responses import make_responses

    rng = np.random.default_rng(5)
    customers = make_customers(500, rng, "en")
    plain = make_responses(2_000, customers, rng, "en")
    full = generate(2_000, seed=5).responses
    assert list(full.columns) == [*plain.columns, "experiment", "variant"]
    pd.testing.assert_frame_equal(full[plain.columns], plain)


def test_planted_experiments_in_a_big_sample(big):
    """Planted (cxkit.synthetic.experiments): onboarding_email +12 NPS points, invoice none."""
    r = big.responses
    for exp in EXPERIMENTS:
        test = r[r["experiment"] == exp.name]
        assert set(test["variant"]) == {"control", "treatment"}
        np.testing.assert_array_equal(eligible(r, exp), (r["experiment"] == exp.name).to_numpy())
        control = test.loc[test["variant"] == "control", "nps"]
        treatment = test.loc[test["variant"] == "treatment", "nps"]
        # ~30,000 (onboarding) and ~10,000 (invoice) respondents: NPS SE about 1.0 and 1.8 points
        assert abs(nps(treatment) - nps(control) - exp.nps_effect) < 4, exp.name
        # about half in each group (the tilt moves the share by a point or two at most)
        assert abs((test["variant"] == "treatment").mean() - 0.5) < 0.03
    assert r["experiment"].isna().sum() == (r["variant"].isna()).sum() > 0.5 * len(r)


def test_sample_readme_states_the_planted_experiments(samples):
    text = (samples / "README.md").read_text(encoding="utf-8")
    r = pd.read_csv(samples / "responses.csv", parse_dates=["responded_at"])
    for exp in EXPERIMENTS:
        control, treatment = experiment_groups(r, exp.name)
        planted = f"{exp.nps_effect:+.0f} points" if exp.nps_effect else "none"
        row = next(line for line in text.splitlines() if line.startswith(f"| `{exp.name}`"))
        assert f"| {len(control):,} / {len(treatment):,} | {planted} |" in row
        assert f"{exp.start} to {exp.end}" in row
    assert f"default_rng([seed, {STREAM}])" in text


def test_ab_test_finds_the_planted_effect_and_not_the_null(samples):
    r = pd.read_csv(samples / "responses.csv", parse_dates=["responded_at"])
    effect, null = EXPERIMENTS
    control, treatment = experiment_groups(r, effect.name)
    found = ab_test(control["nps"], treatment["nps"], metric="nps")
    assert found.p_value < 0.05
    assert found.ci_low <= effect.nps_effect <= found.ci_high
    # the planted effect was sized so that these groups detect it with high power (README)
    scores = control["nps"].dropna()
    mix = {
        "promoters": 100 * (scores >= 9).mean(),
        "passives": 100 * scores.between(7, 8).mean(),
        "detractors": 100 * (scores <= 6).mean(),
    }
    chance = power(
        metric="nps", baseline=mix, minimum_effect=effect.nps_effect, n=found.n_control,
        ratio=found.n_treatment / found.n_control,
    )  # fmt: skip
    assert chance > 0.9
    control, treatment = experiment_groups(r, null.name)
    for metric in ("nps", "csat"):
        result = ab_test(control[metric], treatment[metric], metric=metric)
        assert result.ci_low <= 0 <= result.ci_high, (metric, result)
