"""Agent or team scorecards with rates shrunk by empirical Bayes, ranked only where they differ.

:func:`team_scorecard` puts each agent's (or team's) volume, response and resolution times,
FCR, reopen rate, CSAT and NPS side by side. A rate over three tickets is mostly luck, so rates
are shrunk towards the overall rate with a beta-binomial prior fitted to all the agents
(:mod:`cxkit._betabinom`), and an agent is ranked above another only when their intervals do
not overlap.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from cxkit._betabinom import Prior, fit_prior, posterior, separated_ranks
from cxkit._estimates import z_value
from cxkit._grouping import check_columns
from cxkit._results import SummaryRepr
from cxkit.errors import CxkitError
from cxkit.service import fcr, reopen_rate, service_metrics
from cxkit.survey import nps

__all__ = ["TeamScorecard", "team_scorecard"]

#: Rates shrunk, and whether a higher value is better.
_HIGHER_IS_BETTER = {"fcr": True, "reopen_rate": False, "csat": True, "nps": True}
_RATE_COLUMNS = [
    "metric",
    "successes",
    "n",
    "raw",
    "shrunk",
    "ci_low",
    "ci_high",
    "rank_best",
    "rank_worst",
    "rank",
    "small_sample",
]


@dataclass(frozen=True, repr=False)
class TeamScorecard(SummaryRepr):
    """Result of :func:`team_scorecard`.

    Attributes
    ----------
    summary : DataFrame
        One row per group: ``tickets``, ``first_response_median_h``, ``resolution_median_h``,
        then for each rate the shrunk value (``fcr``, ``reopen_rate``, ``csat``; percent), the
        raw value (``fcr_raw``, ...), its base (``fcr_n``) and the rank (``fcr_rank``: "1" or
        a range "1-4"); ``nps``, ``nps_n`` and ``nps_rank`` when responses were given.
    rates : DataFrame
        Tidy, one row per (group, metric): the ``by`` column, ``metric, successes, n, raw,
        shrunk, ci_low, ci_high, rank_best, rank_worst, rank, small_sample``. For NPS,
        ``shrunk`` is empty and the interval is the adjusted-Wald interval of the raw NPS.
    priors : DataFrame
        ``metric, alpha, beta, prior_mean`` (percent), ``method``, ``note``.
    notes : list of str
    """

    summary: pd.DataFrame
    rates: pd.DataFrame
    priors: pd.DataFrame
    by: str
    notes: list[str] = field(default_factory=list)

    def __repr__(self) -> str:
        lines = [f"TeamScorecard by {self.by}", self.summary.round(1).to_string(index=False)]
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])

    def _repr_html_(self) -> str:
        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes)
        return super()._repr_html_() + notes


def team_scorecard(
    tickets: pd.DataFrame,
    responses: pd.DataFrame | None = None,
    *,
    by: str = "agent",
    min_n: int = 30,
    ci: float = 0.95,
) -> TeamScorecard:
    """Scorecard per agent or team, with empirical-Bayes shrinkage of every rate.

    Parameters
    ----------
    tickets : DataFrame
        Canonical tickets (``cx.read_tickets(...).data``) with the ``by`` column and
        ``opened_at``; FCR needs ``contacts``, the reopen rate ``reopened``, CSAT a ``csat``
        column of 1-5 ratings (each is left out, with a note, when its column is absent).
    responses : DataFrame, optional
        Canonical responses carrying the ``by`` column (and ``nps``): adds NPS per group.
    by : str
        The agent or team column (default "agent").
    min_n : int
        Rates over fewer trials than this are flagged ``small_sample``.
    ci : float
        Level of the posterior intervals (and of the NPS intervals).

    Returns
    -------
    TeamScorecard
        ``summary`` (wide, one row per group), ``rates`` (tidy), ``priors`` and ``notes``.

    Notes
    -----
    Times are the medians of :func:`cxkit.service_metrics` (calendar hours from
    ``opened_at``). FCR and reopen rate are :func:`cxkit.fcr`'s and :func:`cxkit.reopen_rate`'s
    successes over resolved tickets; CSAT is top-2-box (4 or 5) over rated tickets.

    **Shrinkage.** For each rate, x_g of n_g in group g, with p_g ~ Beta(α, β) and
    x_g ~ Binomial(n_g, p_g), (α, β) maximise the beta-binomial log-likelihood
    Σ_g log BetaBinom(x_g; n_g, α, β) (``scipy.stats.betabinom``, ``scipy.optimize``). The
    shrunk rate is the posterior mean (x + α) / (n + α + β) and its interval the equal-tailed
    quantiles of Beta(x + α, n - x + β) (``scipy.stats.beta.ppf``) (Efron & Morris, 1975;
    Robinson, 2017, *Introduction to Empirical Bayes*). With fewer than three groups, or all
    rates 0% (or all 100%), there is no MLE: Jeffreys' Beta(1/2, 1/2) is used and ``priors``
    says so.

    **Ranks.** ``rank_best`` = 1 + the number of groups whose interval lies entirely on the
    better side of this group's; ``rank_worst`` = the number of groups minus those entirely
    on the worse side. ``rank`` is "k" when the two agree and "best-worst" otherwise: a
    group is placed above another only when their intervals separate. NPS is a difference
    of two shares, not a binomial rate, so it is not shrunk; it is ranked by its own
    intervals (:func:`cxkit.nps`).
    """
    _check(tickets, responses, by)
    z_value(ci)  # checks ci
    unassigned = int(tickets[by].isna().sum())
    notes = [f"{unassigned:,} ticket(s) without a `{by}` value: one row of their own."]
    notes = notes if unassigned else []
    overview = service_metrics(tickets, by=by)
    summary = overview[[by, "tickets", "first_response_median_h", "resolution_median_h"]]
    tables, priors = [], []
    for metric, (x, n) in _rate_counts(tickets, by, min_n).items():
        if x is None:
            notes.append(n)
            continue
        table, prior = _shrunk(x, n, metric, ci, min_n)
        tables.append(table)
        priors.append(_prior_row(metric, prior))
        notes += [f"{metric}: {prior.note}."] if prior.note else []
    if responses is not None:
        tables.append(_nps_table(responses, by, ci, min_n))
        notes += _unmatched(tables[-1][by], summary[by])
    if not tables:
        notes.append("No rate could be computed: the tickets have no contacts, reopened or csat.")
    rates = pd.concat(tables, ignore_index=True) if tables else _empty_rates(by)
    summary = _wide(summary, rates, by)
    return TeamScorecard(summary, rates, pd.DataFrame(priors, columns=_PRIOR_COLUMNS), by, notes)


_PRIOR_COLUMNS = ["metric", "alpha", "beta", "prior_mean", "method", "note"]


def _check(tickets, responses, by: str) -> None:
    if not isinstance(tickets, pd.DataFrame):
        raise CxkitError(f"`tickets` must be a DataFrame; got {type(tickets).__name__}.")
    check_columns(tickets, [by], parameter="by")
    check_columns(tickets, ["opened_at"], parameter="tickets")
    _check_ticket_types(tickets)
    if responses is not None:
        if not isinstance(responses, pd.DataFrame):
            raise CxkitError(f"`responses` must be a DataFrame; got {type(responses).__name__}.")
        if by not in responses.columns:
            raise CxkitError(
                f"`responses`: column {by!r} not found, so NPS cannot be given per {by}; "
                f"columns are {list(responses.columns)}. Add the {by} to each response, or "
                "leave out `responses`."
            )
        check_columns(responses, ["nps"], parameter="responses")


def _check_ticket_types(tickets: pd.DataFrame) -> None:
    """Dates must be datetimes, ``contacts`` numbers, ``reopened`` true/false (or 1/0)."""
    for column in ("opened_at", "first_response_at", "resolved_at"):
        if column in tickets and not pd.api.types.is_datetime64_any_dtype(tickets[column]):
            raise CxkitError(
                f"`tickets`: column {column!r} must hold dates and times; found dtype "
                f"{tickets[column].dtype}. Read the file with cx.read_tickets, or convert "
                "it with pd.to_datetime."
            )
    checks = {"contacts": pd.api.types.is_numeric_dtype, "reopened": _is_flag}
    for column, ok in checks.items():
        if column in tickets and not ok(tickets[column]):
            kind = "numbers" if column == "contacts" else "true/false (or 1/0)"
            raise CxkitError(
                f"`tickets`: column {column!r} must hold {kind}; found dtype "
                f"{tickets[column].dtype}. Read the file with cx.read_tickets, which "
                "converts such labels."
            )


def _is_flag(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return True
    return pd.api.types.is_numeric_dtype(values) and values.dropna().isin([0, 1]).all()


def _rate_counts(tickets: pd.DataFrame, by: str, min_n: int) -> dict:
    """Map each rate to (groups and successes, trials), or to (None, note) when absent."""
    out: dict = {}
    for metric, column, function in (
        ("fcr", "contacts", fcr),
        ("reopen_rate", "reopened", reopen_rate),
    ):
        if column not in tickets.columns:
            out[metric] = (None, f"No `{column}` column: {metric} left out.")
            continue
        table = function(tickets, by=by, min_n=min_n)
        out[metric] = (table[[by, "successes"]], table["n"].to_numpy())
    if "csat" in tickets.columns and tickets["csat"].notna().any():
        out["csat"] = _csat_counts(tickets, by)
    else:
        out["csat"] = (None, "No ticket `csat` ratings: CSAT left out.")
    return out


def _csat_counts(tickets: pd.DataFrame, by: str):
    """Top-2-box (4-5) successes and rated tickets per group, checking a 1-5 scale."""
    values = pd.to_numeric(tickets["csat"], errors="coerce")
    bad = tickets["csat"].notna() & (values.isna() | ~values.isin([1, 2, 3, 4, 5]))
    if bad.any():
        rows = list(tickets.index[bad][:5])
        raise CxkitError(
            f"`tickets`: column 'csat' must hold ratings 1-5; found "
            f"{str(tickets['csat'][bad].iloc[0])!r} in row(s) {rows}. Fix those ratings or map "
            "the scale to 1-5."
        )
    frame = pd.DataFrame({by: tickets[by], "rated": values.notna(), "successes": values >= 4})
    sums = frame.groupby(by, observed=True, sort=True)[["successes", "rated"]].sum()
    sums = sums.reset_index()
    return sums[[by, "successes"]], sums["rated"].to_numpy()


def _shrunk(groups: pd.DataFrame, n: np.ndarray, metric: str, ci: float, min_n: int):
    """Return the tidy rows of one shrunk rate, and its prior."""
    x = groups["successes"].to_numpy(dtype="float64")
    n = np.asarray(n, dtype="float64")
    prior = fit_prior(x, n)
    mean, low, high = posterior(x, n, prior, ci)
    with np.errstate(invalid="ignore", divide="ignore"):
        raw = np.where(n > 0, 100 * x / n, np.nan)
    table = groups.assign(metric=metric, n=n.astype("int64"), raw=raw, shrunk=100 * mean)
    table["ci_low"], table["ci_high"] = 100 * low, 100 * high
    return _ranked(table, n > 0, metric, min_n), prior


def _ranked(table: pd.DataFrame, used: np.ndarray, metric: str, min_n: int) -> pd.DataFrame:
    """Add separated ranks among the groups with data, and the small-sample flag."""
    best = np.full(len(table), pd.NA, dtype=object)
    worst = best.copy()
    b, w = separated_ranks(
        table["ci_low"].to_numpy()[used],
        table["ci_high"].to_numpy()[used],
        _HIGHER_IS_BETTER[metric],
    )
    best[used], worst[used] = b, w
    table["rank_best"] = pd.array(best, dtype="Int64")
    table["rank_worst"] = pd.array(worst, dtype="Int64")
    table["rank"] = [
        "" if pd.isna(lo) else (f"{lo}" if lo == hi else f"{lo}-{hi}")
        for lo, hi in zip(table["rank_best"], table["rank_worst"], strict=True)
    ]
    table["small_sample"] = table["n"] < min_n
    by = [c for c in table.columns if c not in _RATE_COLUMNS]
    return table[by + _RATE_COLUMNS]


def _nps_table(responses: pd.DataFrame, by: str, ci: float, min_n: int) -> pd.DataFrame:
    """NPS per group with its adjusted-Wald interval (not shrunk), ranked by its intervals."""
    table = nps(responses, by=by, ci=ci, min_n=min_n)[[by, "n", "nps", "ci_low", "ci_high"]]
    table = table.assign(metric="nps", successes=pd.NA, raw=table["nps"], shrunk=np.nan)
    table = table.drop(columns=["nps"])
    used = (table["n"] > 0).to_numpy()
    return _ranked(table, used, "nps", min_n)


def _unmatched(groups: pd.Series, ticket_groups: pd.Series) -> list[str]:
    """Note the groups with NPS answers but no tickets (in ``rates``, not in ``summary``)."""
    extra = sorted(set(groups.dropna().astype(str)) - set(ticket_groups.dropna().astype(str)))
    if not extra:
        return []
    return [f"NPS only, no tickets (see .rates): {', '.join(extra)}."]


def _prior_row(metric: str, prior: Prior) -> dict:
    return {
        "metric": metric,
        "alpha": prior.alpha,
        "beta": prior.beta,
        "prior_mean": 100 * prior.mean,
        "method": prior.method,
        "note": prior.note,
    }


def _empty_rates(by: str) -> pd.DataFrame:
    return pd.DataFrame(columns=[by, *_RATE_COLUMNS])


def _wide(summary: pd.DataFrame, rates: pd.DataFrame, by: str) -> pd.DataFrame:
    """One row per group: the overview, then each metric's shrunk (or NPS) value, raw, rank."""
    out = summary.assign(**{by: summary[by].astype(object)})
    for metric, part in rates.groupby("metric", sort=False):
        value = part["raw"] if metric == "nps" else part["shrunk"]
        columns = {metric: value.to_numpy()}
        if metric != "nps":
            columns[f"{metric}_raw"] = part["raw"].to_numpy()
        columns[f"{metric}_n"] = part["n"].to_numpy()
        columns[f"{metric}_rank"] = part["rank"].to_numpy()
        extra = pd.DataFrame({by: part[by].astype(object).to_numpy(), **columns})
        out = out.merge(extra, on=by, how="left")
    return out
