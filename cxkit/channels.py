"""Which segment prefers which channel: shares, a chi-square test and adjusted residuals.

:func:`channel_preferences` cross-tabulates a grouping column (a segment) against a channel
column, tests independence with Pearson's chi-square and marks the cells where a segment uses
a channel more or less than independence predicts, with Agresti's adjusted standardized
residuals.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.contingency_tables import Table

from cxkit._grouping import check_columns
from cxkit._results import SummaryRepr
from cxkit.errors import CxkitError

__all__ = ["ChannelPreferences", "ChiSquareTest", "channel_preferences"]

#: Expected counts below this are flagged (Cochran, 1954).
SMALL_EXPECTED = 5.0


@dataclass(frozen=True, repr=False)
class ChiSquareTest(SummaryRepr):
    """Pearson's chi-square test of independence: statistic, df, p-value, Cramér's V, n."""

    chi2: float
    dof: int
    p_value: float
    cramers_v: float
    n: float

    @property
    def summary(self) -> pd.DataFrame:
        """One-row DataFrame of the test."""
        return pd.DataFrame([asdict(self)])

    def __repr__(self) -> str:
        return (
            f"chi2 = {self.chi2:.2f}, df = {self.dof}, p = {self.p_value:.3g}, "
            f"Cramér's V = {self.cramers_v:.3f}, n = {self.n:,.0f}"
        )


@dataclass(frozen=True, repr=False)
class ChannelPreferences(SummaryRepr):
    """Result of :func:`channel_preferences`.

    Attributes
    ----------
    table : DataFrame
        Tidy, one row per (group, channel): the ``by`` column, the channel column, ``n``,
        ``share`` (percent of the group), ``expected``, ``residual`` (adjusted standardized),
        ``flag`` ("over", "under" or ""), ``small_expected`` (expected count below 5).
    test : ChiSquareTest
        ``chi2, dof, p_value, cramers_v, n``.
    cut : float
        |residual| above which a cell is flagged (Bonferroni-adjusted, see the function).
    notes : list of str
        Small expected counts, rows left out for a missing value, weights, a single group.
    """

    table: pd.DataFrame
    test: ChiSquareTest
    by: str
    channel: str
    cut: float
    notes: list[str] = field(default_factory=list)

    @property
    def summary(self) -> pd.DataFrame:
        """Share (percent) of each channel within each group: groups in rows."""
        return self.table.pivot(index=self.by, columns=self.channel, values="share").reset_index()

    @property
    def shares(self) -> pd.DataFrame:
        """Alias of :attr:`summary`."""
        return self.summary

    def __repr__(self) -> str:
        flagged = self.table[self.table["flag"] != ""]
        lines = [
            f"ChannelPreferences ({self.channel} by {self.by}): {self.test!r}",
            "Share of each channel (% of the group):",
            self.summary.round(1).to_string(index=False),
            f"Cells beyond |residual| > {self.cut:.2f}:",
        ]
        for row in flagged.itertuples(index=False):
            d = row._asdict()
            lines.append(
                f"  {d[self.by]} {d['flag']}-uses {d[self.channel]} "
                f"({d['share']:.1f}%, residual {d['residual']:+.2f})"
            )
        if flagged.empty:
            lines.append("  none")
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])

    def _repr_html_(self) -> str:
        import html

        notes = "".join(f"<p>{html.escape(n)}</p>" for n in self.notes)
        return (
            f"<p>{html.escape(repr(self.test))}</p>"
            + self.table.to_html(index=False, escape=True, float_format=lambda v: f"{v:.4g}")
            + notes
        )


def channel_preferences(
    data: pd.DataFrame,
    *,
    by: str = "segment",
    channel: str = "channel",
    weight: str | None = None,
    alpha: float = 0.05,
) -> ChannelPreferences:
    """Channel share per group, a chi-square test of independence and adjusted residuals.

    Parameters
    ----------
    data : DataFrame
        One row per response, ticket or contact (canonical responses or tickets).
    by : str
        The grouping column (default "segment").
    channel : str
        The channel column (default "channel").
    weight : str, optional
        A weight column: counts become sums of weights, rescaled to add up to the number of
        rows used, so that the test keeps the sample's size (see Notes).
    alpha : float
        Family-wise level of the residual flags (default 0.05, Bonferroni over the cells).

    Returns
    -------
    ChannelPreferences
        ``table`` (tidy), ``test`` (``chi2, dof, p_value, cramers_v, n``), ``summary`` (shares
        pivoted), ``cut`` and ``notes``.

    Notes
    -----
    With O_ij the count of group i and channel j, n the total, p_i+ and p_+j the margins'
    shares, E_ij = n p_i+ p_+j. Pearson's X² = Σ (O - E)² / E with (r - 1)(c - 1) df,
    ``scipy.stats.chi2_contingency(correction=False)`` (no Yates correction, also on 2 x 2
    tables, so that the test and the residuals agree). Cramér's V = sqrt(X² / (n (min(r, c)
    - 1))) (Cramér, 1946).

    The adjusted standardized residual is r_ij = (O_ij - E_ij) / sqrt(E_ij (1 - p_i+)
    (1 - p_+j)), approximately standard normal under independence (Agresti, 2007, *An
    Introduction to Categorical Data Analysis*, 2nd ed., section 2.4.5); it equals
    statsmodels ``Table(counts, shift_zeros=False).standardized_resids``. A cell is flagged
    "over" or "under" when |r| exceeds the Bonferroni cut z(1 - alpha / (2 k)), k the number
    of cells: with 1.96 a 3 x 5 table would flag about one cell in twenty by chance alone.

    Cochran's rule asks for expected counts of at least 5; cells below it are flagged
    ``small_expected`` and named in ``notes``: read their residuals and the p-value with care.
    With weights, the test treats the rescaled weighted counts as counts: an approximation
    that ignores the design effect of the weights. Rows with a missing group or channel are
    left out and counted in ``notes``.
    """
    if not 0 < alpha < 1:
        raise CxkitError(f"`alpha` must be between 0 and 1 (e.g. 0.05); got {alpha!r}.")
    counts, notes = _counts(data, by, channel, weight)
    observed = counts.to_numpy(dtype="float64")
    cut = float(stats.norm.ppf(1 - alpha / (2 * observed.size)))
    if min(observed.shape) < 2:
        return _degenerate(counts, by, channel, cut, notes)
    chi2, p_value, dof, expected = stats.chi2_contingency(observed, correction=False)
    residuals = np.asarray(Table(observed.copy(), shift_zeros=False).standardized_resids)
    n = float(observed.sum())
    test = ChiSquareTest(
        chi2=float(chi2),
        dof=int(dof),
        p_value=float(p_value),
        cramers_v=float(np.sqrt(chi2 / (n * (min(observed.shape) - 1)))),
        n=n,
    )
    table = _tidy(counts, expected, residuals, by, channel, cut)
    notes += _small_note(table)
    return ChannelPreferences(table, test, by, channel, cut, notes)


def _counts(
    data: pd.DataFrame, by: str, channel: str, weight: str | None
) -> tuple[pd.DataFrame, list[str]]:
    """Return the contingency table (groups x channels) and notes on rows left out."""
    if not isinstance(data, pd.DataFrame):
        raise CxkitError(f"`data` must be a DataFrame; got {type(data).__name__}.")
    check_columns(data, [by], parameter="by")
    check_columns(data, [channel], parameter="channel")
    if by == channel:
        raise CxkitError(
            f"`by` and `channel` are both {by!r}; a table of a column against itself says "
            "nothing. Name two different columns."
        )
    notes: list[str] = []
    w = pd.Series(1.0, index=data.index)
    if weight is not None:
        check_columns(data, [weight], parameter="weight")
        w = _weights(data[weight], weight)
        notes.append("Weighted counts are rescaled to the number of rows; the test ignores the")
        notes[-1] += " design effect of the weights."
    keep = data[by].notna() & data[channel].notna() & w.notna()
    if (~keep).any():
        notes.append(f"{int((~keep).sum()):,} row(s) with no {by}, {channel} or weight left out.")
    if not keep.any():
        raise CxkitError(
            f"channel_preferences: no row has both a `{by}` and a `{channel}` value. Check "
            f"the columns named by `by=` and `channel=`."
        )
    frame = pd.DataFrame({"g": data[by], "c": data[channel], "w": w})[keep]
    frame["w"] *= len(frame) / frame["w"].sum()
    counts = frame.pivot_table(
        index="g", columns="c", values="w", aggfunc="sum", fill_value=0.0, observed=True
    )
    if weight is None:
        counts = counts.round().astype("int64")
    return counts.rename_axis(index=by, columns=channel), notes


def _weights(values: pd.Series, name: str) -> pd.Series:
    w = pd.to_numeric(values, errors="coerce")
    bad = values.notna() & w.isna() | (w < 0)
    if bad.any():
        rows = list(values.index[bad][:5])
        raise CxkitError(
            f"`weight`: column {name!r} must hold non-negative numbers; found "
            f"{str(values[bad].iloc[0])!r} in row(s) {rows}. Fix or remove those values."
        )
    return w.astype("float64")


def _tidy(counts, expected, residuals, by, channel, cut) -> pd.DataFrame:
    """One row per cell: counts, shares, expected counts, residuals and flags."""
    observed = counts.to_numpy(dtype="float64")
    shares = 100 * observed / observed.sum(axis=1, keepdims=True)
    table = counts.stack().rename("n").reset_index()
    table["share"] = shares.ravel()
    table["expected"] = np.asarray(expected, dtype="float64").ravel()
    table["residual"] = residuals.ravel()
    table["flag"] = np.select(
        [table["residual"] > cut, table["residual"] < -cut], ["over", "under"], ""
    )
    table["small_expected"] = table["expected"] < SMALL_EXPECTED
    return table


def _small_note(table: pd.DataFrame) -> list[str]:
    small = int(table["small_expected"].sum())
    if not small:
        return []
    return [
        f"{small} of {len(table)} cells have an expected count below {SMALL_EXPECTED:g}: the "
        "chi-square approximation may be poor there (Cochran's rule); read those residuals "
        "and the p-value with care, or merge small groups or channels."
    ]


def _degenerate(counts, by, channel, cut, notes) -> ChannelPreferences:
    """One group or one channel: shares only, no test (independence cannot be tested)."""
    n = float(counts.to_numpy().sum())
    nan = np.full(counts.shape, np.nan)
    table = _tidy(counts, nan, nan, by, channel, cut)
    table["small_expected"] = False
    notes = [
        *notes,
        f"Only {counts.shape[0]} {by} value(s) and {counts.shape[1]} {channel} value(s): a "
        "test of independence needs at least two of each, so there is no test or residual.",
    ]
    test = ChiSquareTest(chi2=np.nan, dof=0, p_value=np.nan, cramers_v=np.nan, n=n)
    return ChannelPreferences(table, test, by, channel, cut, notes)
