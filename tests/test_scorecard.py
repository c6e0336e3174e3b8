"""Tests of cxkit.scorecard and cxkit._betabinom: shrinkage by hand, the MLE by scipy, ranks."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import optimize, stats

from cxkit._betabinom import Prior, fit_prior, posterior, separated_ranks
from cxkit.errors import CxkitError
from cxkit.scorecard import team_scorecard
from cxkit.survey import nps


def _tickets(fcr: dict[str, tuple[int, int]], csat: dict[str, list[int]] | None = None):
    """Resolved tickets per agent: (one-contact tickets, all tickets); others take 2 contacts."""
    rows = []
    start = pd.Timestamp("2026-01-05 09:00")
    for agent, (ones, total) in fcr.items():
        for i in range(total):
            opened = start + pd.Timedelta(hours=i)
            rows.append(
                {
                    "agent": agent,
                    "opened_at": opened,
                    "first_response_at": opened + pd.Timedelta(hours=1),
                    "resolved_at": opened + pd.Timedelta(hours=4),
                    "contacts": 1 if i < ones else 2,
                    "reopened": False,
                }
            )
    frame = pd.DataFrame(rows)
    if csat is not None:
        frame["csat"] = [v for agent in fcr for v in csat[agent]]
    return frame


def test_posterior_with_a_fixed_prior_by_hand():
    # Prior Beta(2, 8); an agent with 3 of 3: posterior Beta(3 + 2, 0 + 8) = Beta(5, 8).
    mean, low, high = posterior(np.array([3]), np.array([3]), Prior(2.0, 8.0, "fixed"), 0.95)
    assert mean[0] == pytest.approx(5 / 13)  # (x + α) / (n + α + β) = 5 / 13
    assert low[0] == pytest.approx(stats.beta.ppf(0.025, 5, 8))
    assert high[0] == pytest.approx(stats.beta.ppf(0.975, 5, 8))
    # An agent with 90 of 100 moves little: (90 + 2) / (100 + 10) = 92 / 110.
    mean, _, _ = posterior(np.array([90]), np.array([100]), Prior(2.0, 8.0, "fixed"), 0.95)
    assert mean[0] == pytest.approx(92 / 110)


def test_mle_matches_a_direct_scipy_fit_of_the_betabinomial_likelihood():
    x = np.array([3, 40, 55, 70, 12, 90])
    n = np.array([3, 100, 100, 100, 40, 120])
    prior = fit_prior(x, n)
    assert prior.method == "mle"

    def minus_loglik(ab):  # written out here, independently of cxkit._betabinom
        a, b = ab
        if a <= 0 or b <= 0:
            return np.inf
        return -stats.betabinom.logpmf(x, n, a, b).sum()

    direct = optimize.minimize(
        minus_loglik,
        [1.0, 1.0],
        method="Nelder-Mead",
        options={"xatol": 1e-8, "fatol": 1e-10, "maxiter": 20000},
    )
    assert minus_loglik([prior.alpha, prior.beta]) == pytest.approx(direct.fun, abs=1e-5)
    assert prior.alpha == pytest.approx(direct.x[0], rel=1e-3)
    assert prior.beta == pytest.approx(direct.x[1], rel=1e-3)


def test_a_three_ticket_agent_with_three_of_three_is_not_ranked_first():
    counts = {"A": (180, 200), "B": (160, 200), "C": (140, 200), "D": (120, 200)}
    counts |= {"E": (100, 200), "New": (3, 3)}
    card = team_scorecard(_tickets(counts))
    fcr = card.rates[card.rates["metric"] == "fcr"].set_index("agent")
    assert fcr.loc["New", "raw"] == 100.0  # first by the raw rate
    assert fcr.loc["New", "shrunk"] < fcr.loc["A", "shrunk"]  # not first once shrunk
    assert fcr["shrunk"].idxmax() == "A"
    assert fcr.loc["New", "rank_worst"] > 1  # its interval overlaps others: no outright rank
    assert fcr.loc["New", "rank"] != "1"
    assert fcr.loc["A", "rank_best"] == 1
    # A and E (90% vs 50% over 200 each) are separated: E's best rank is below A's.
    assert fcr.loc["E", "rank_best"] > fcr.loc["A", "rank_worst"]
    # The shrunk values are the posterior means under the fitted prior, as in _betabinom.
    prior = card.priors.set_index("metric").loc["fcr"]
    a, b = prior["alpha"], prior["beta"]
    assert fcr.loc["New", "shrunk"] == pytest.approx(100 * (3 + a) / (3 + a + b))


def test_separated_ranks_by_hand():
    # Intervals: [80, 90], [60, 70], [65, 85], [10, 95].
    low, high = np.array([80, 60, 65, 10]), np.array([90, 70, 85, 95])
    best, worst = separated_ranks(low, high, higher_is_better=True)
    # [60, 70] lies entirely below [80, 90] only: group 0 best 1, worst 4 - 1 = 3.
    assert list(best) == [1, 2, 1, 1]
    assert list(worst) == [3, 4, 4, 4]
    best, worst = separated_ranks(low, high, higher_is_better=False)
    assert list(best) == [2, 1, 1, 1]


def test_degenerate_cases_fall_back_with_a_note():
    card = team_scorecard(_tickets({"A": (5, 10), "B": (2, 4)}))  # two agents: no MLE
    prior = card.priors.set_index("metric").loc["fcr"]
    assert prior["method"] == "fallback"
    assert (prior["alpha"], prior["beta"]) == (0.5, 0.5)
    assert any("too few to fit" in note for note in card.notes)
    card = team_scorecard(_tickets({"A": (10, 10), "B": (4, 4), "C": (7, 7)}))  # all 100%
    assert card.priors.set_index("metric").loc["fcr", "method"] == "fallback"
    assert "every group's rate is 100%" in card.priors.set_index("metric").loc["fcr", "note"]
    # Reopen rate is 0% for everybody here: fallback too, not a crash.
    assert card.priors.set_index("metric").loc["reopen_rate", "method"] == "fallback"
    one = team_scorecard(_tickets({"A": (5, 10)}))
    assert one.summary.loc[0, "fcr_rank"] == "1"


def test_csat_top_two_box_and_nps_from_responses():
    counts = {"A": (2, 4), "B": (3, 4), "C": (1, 4)}
    csat = {"A": [5, 4, 1, None], "B": [2, 2, 3, 5], "C": [4, 4, 4, 4]}
    card = team_scorecard(_tickets(counts, csat))
    rows = card.rates[card.rates["metric"] == "csat"].set_index("agent")
    assert list(rows["successes"]) == [2, 1, 4]  # ratings of 4 or 5
    assert list(rows["n"]) == [3, 4, 4]  # rated tickets
    assert rows.loc["A", "raw"] == pytest.approx(200 / 3)
    responses = pd.DataFrame({"agent": list("AAABBB"), "nps": [10, 9, 0, 5, 6, 10]})
    card = team_scorecard(_tickets(counts), responses)
    expected = nps(responses, by="agent").set_index("agent")
    got = card.rates[card.rates["metric"] == "nps"].set_index("agent")
    assert got.loc["A", "raw"] == pytest.approx(expected.loc["A", "nps"])
    assert got.loc["B", "ci_low"] == pytest.approx(expected.loc["B", "ci_low"])
    assert {"nps", "nps_n", "nps_rank"} <= set(card.summary.columns)
    assert card.summary.set_index("agent").loc["A", "nps_n"] == 3
    assert "TeamScorecard by agent" in repr(card)


def test_times_and_volume_come_from_service_metrics():
    card = team_scorecard(_tickets({"A": (1, 2), "B": (2, 3), "C": (0, 1)}))
    summary = card.summary.set_index("agent")
    assert summary.loc["B", "tickets"] == 3
    assert summary.loc["B", "first_response_median_h"] == 1.0  # built 1 h after opening
    assert summary.loc["B", "resolution_median_h"] == 4.0  # built 4 h after opening


def test_bad_input_names_the_column():
    tickets = _tickets({"A": (1, 2)})
    with pytest.raises(CxkitError, match="`by`: column\\(s\\) \\['team'\\] not found"):
        team_scorecard(tickets, by="team")
    with pytest.raises(CxkitError, match="'opened_at' must hold dates"):
        team_scorecard(tickets.assign(opened_at="yesterday"))
    with pytest.raises(CxkitError, match="'resolved_at' must hold dates"):
        team_scorecard(tickets.assign(resolved_at="2026-01-05"))
    with pytest.raises(CxkitError, match="'reopened' must hold true/false"):
        team_scorecard(tickets.assign(reopened="no"))
    with pytest.raises(CxkitError, match="'contacts' must hold numbers"):
        team_scorecard(tickets.assign(contacts="one"))
    with pytest.raises(CxkitError, match="'csat' must hold ratings 1-5; found '7'"):
        team_scorecard(tickets.assign(csat=[7, 4]))
    with pytest.raises(CxkitError, match="`responses`: column 'agent' not found"):
        team_scorecard(tickets, pd.DataFrame({"nps": [10]}))
    with pytest.raises(CxkitError, match="`ci` must be between 0 and 1"):
        team_scorecard(tickets, ci=95)


def test_rates_only_at_zero_and_one_hundred_give_a_boundary_prior():
    # Every group at 0% or 100%: the likelihood grows as α and β go to 0 (a U-shaped
    # prior), so the fit stops at the lower bound and says so; no crash.
    prior = fit_prior(np.array([0, 3, 0, 4]), np.array([2, 3, 5, 4]))
    assert prior.method == "mle (boundary)"
    assert prior.alpha < 0.01 and prior.beta < 0.01


def test_unassigned_tickets_and_nps_only_groups_are_noted():
    tickets = _tickets({"A": (5, 10), "B": (3, 8), "C": (6, 7)})
    tickets.loc[0, "agent"] = None
    responses = pd.DataFrame({"agent": ["A", "Z"], "nps": [9, 3]})
    card = team_scorecard(tickets, responses)
    assert "1 ticket(s) without a `agent` value" in card.notes[0]
    assert any("NPS only, no tickets (see .rates): Z." in note for note in card.notes)
    assert list(card.rates.columns) == [
        "agent", "metric", "successes", "n", "raw", "shrunk", "ci_low", "ci_high",
        "rank_best", "rank_worst", "rank", "small_sample",
    ]  # fmt: skip


def test_a_prior_is_never_worth_more_than_the_trials_it_was_fitted_on():
    # four agents at exactly 5 of 10: no spread beyond chance, so the MLE runs to its bound
    prior = fit_prior(np.array([5, 5, 5, 5]), np.array([10, 10, 10, 10]))
    assert prior.method == "mle (capped)"
    assert prior.alpha + prior.beta == pytest.approx(40)  # capped at the 40 trials
    assert prior.mean == pytest.approx(0.5)  # the pooled rate, 20 / 40
    # a 3-of-3 agent: posterior Beta(3 + 20, 0 + 20); its interval is as wide as that Beta's
    mean, low, high = posterior(np.array([3]), np.array([3]), prior, 0.95)
    assert mean[0] == pytest.approx(23 / 43)
    assert (low[0], high[0]) == pytest.approx(stats.beta.ppf([0.025, 0.975], 23, 20))
    assert high[0] - low[0] > 0.25  # not the false precision of an uncapped prior
