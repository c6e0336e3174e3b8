"""Each theme's share of the comments, period by period, and whether the last change is real.

For period t and theme j: n_t commented responses, m_tj of them mentioning the theme;
``share`` = 100 m_tj / n_t with a Wilson score interval (Wilson, 1927, "Probable inference, the
law of succession, and statistical inference", JASA 22: 209-212; statsmodels
``proportion_confint(method="wilson")``). For the report period against the period before it,
the change in share gets Newcombe's interval and the pooled two-proportion z-test, Holm-adjusted
across themes (:mod:`cxkit.themes._stats`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from cxkit._grouping import to_period
from cxkit._periods import as_period
from cxkit._results import SummaryRepr
from cxkit.errors import CxkitError
from cxkit.themes._errors import ThemeError
from cxkit.themes._stats import holm, two_proportions
from cxkit.themes._themes import ThemeResult

__all__ = ["CHANGE_COLUMNS", "TREND_COLUMNS", "ThemeTrends", "theme_trends"]

#: The columns of :attr:`ThemeTrends.table`.
TREND_COLUMNS = ("period", "theme", "commented", "mentions", "share", "ci_low", "ci_high")
#: The columns of :attr:`ThemeTrends.changes`.
CHANGE_COLUMNS = (
    "theme",
    "period",
    "previous",
    "share",
    "previous_share",
    "difference",
    "ci_low",
    "ci_high",
    "p_value",
    "p_adjusted",
    "significant",
)


@dataclass(frozen=True, repr=False)
class ThemeTrends(SummaryRepr):
    """Result of :func:`theme_trends`.

    Attributes
    ----------
    table : DataFrame
        One row per period and theme (:data:`TREND_COLUMNS`); shares and intervals in percent.
    changes : DataFrame
        One row per theme (:data:`CHANGE_COLUMNS`): the report period's share against the
        previous period's, difference in percentage points; NaN when the previous period has
        no comment.
    period : Period
        The report period.
    undated : int
        Commented rows without a date (left out of every period).
    """

    table: pd.DataFrame
    changes: pd.DataFrame
    period: pd.Period
    undated: int

    @property
    def summary(self) -> pd.DataFrame:
        """The report period's changes (what the notebook shows)."""
        return self.changes


def theme_trends(
    data: pd.DataFrame,
    tags: ThemeResult | pd.DataFrame,
    *,
    freq: str = "M",
    date: str = "responded_at",
    period: str | pd.Period | None = None,
    ci: float = 0.95,
    alpha: float = 0.05,
) -> ThemeTrends:
    """Return each theme's share of commented responses per period, and the last change.

    Parameters
    ----------
    data : DataFrame
        The responses :func:`themes` tagged (for the dates).
    tags : ThemeResult or DataFrame
        A :func:`themes` result, or a frame of boolean theme columns indexed like ``data``'s
        rows; with a frame, every row of it counts as commented (pass commented rows only).
    freq : str
        The granularity: "M" month, "Q" quarter, "W" week, "Y" year.
    date : str
        The date column of ``data``.
    period : str, optional
        The report period ("2026-10", "2026Q4"), of the same granularity as ``freq``;
        default the latest period with a comment.
    ci : float
        Confidence level of the intervals.
    alpha : float
        ``significant`` is ``p_adjusted < alpha``.

    Returns
    -------
    ThemeTrends
        ``table`` (every period), ``changes`` (report period vs the one before), ``undated``.
    """
    frame, commented = _tags(tags)
    if date not in data.columns:
        raise ThemeError(
            f"`date`: column {date!r} not found; columns are {list(data.columns)}. Pass "
            "date='<your date column>'."
        )
    if not frame.index.isin(data.index).all():
        raise ThemeError(
            "`tags` has rows that are not in `data`; pass the same responses that were tagged."
        )
    frame = frame[commented.to_numpy()].astype(bool)
    try:
        periods = to_period(data.loc[frame.index, date], freq)
    except CxkitError as err:
        raise ThemeError(str(err)) from None
    dated = periods.notna().to_numpy()
    table = _table(frame[dated], periods[dated], ci)
    report = _report_period(period, freq, table)
    changes = _changes(table, report, ci, alpha)
    return ThemeTrends(table, changes, report, int((~dated).sum()))


def _tags(tags: object) -> tuple[pd.DataFrame, pd.Series]:
    if isinstance(tags, ThemeResult):
        return tags.tags, tags.commented
    if isinstance(tags, pd.DataFrame):
        kinds = [c for c in tags.columns if not pd.api.types.is_bool_dtype(tags[c])]
        if kinds:
            raise ThemeError(
                f"`tags`: column(s) {kinds} are not True/False theme tags; pass a themes() "
                "result or its `.tags`."
            )
        return tags, pd.Series(True, index=tags.index)
    raise ThemeError(
        f"`tags` must be a themes() result or its `.tags` frame; got {type(tags).__name__}."
    )


def _table(frame: pd.DataFrame, periods: pd.Series, ci: float) -> pd.DataFrame:
    """Return :data:`TREND_COLUMNS`: counts and Wilson intervals per period and theme."""
    from statsmodels.stats.proportion import proportion_confint  # imported when used: SciPy

    grouped = frame.groupby(periods.to_numpy(), sort=True)
    mentions = grouped.sum()
    commented = grouped.size()
    long = mentions.rename_axis(index="period", columns="theme").stack().rename("mentions")
    out = long.reset_index()
    out["commented"] = commented.reindex(out["period"]).to_numpy()
    out["mentions"] = out["mentions"].astype(np.int64)
    low, high = proportion_confint(out["mentions"], out["commented"], alpha=1 - ci, method="wilson")
    out["share"] = 100 * out["mentions"] / out["commented"]
    out["ci_low"], out["ci_high"] = 100 * np.asarray(low), 100 * np.asarray(high)
    return out[list(TREND_COLUMNS)]


def _report_period(period: object, freq: str, table: pd.DataFrame) -> pd.Period:
    """Return the report period: ``period`` checked against ``freq``, or the latest one."""
    if table.empty:
        raise ThemeError("no commented response has a date; there is no period to report.")
    if period is None:
        return table["period"].max()
    try:
        report = as_period(period)
    except CxkitError as err:
        raise ThemeError(str(err)) from None
    if pd.PeriodDtype(report.freq) != table["period"].dtype:
        raise ThemeError(
            f"`period` {period!r} is not a period of granularity freq={freq!r}; pass a period "
            "written at that granularity (freq='M': '2026-10', freq='Q': '2026Q4') or change "
            "`freq`."
        )
    if report not in set(table["period"]):
        covered = f"{table['period'].min()} to {table['period'].max()}"
        raise ThemeError(
            f"no commented response in period {report}; the comments cover {covered}. Choose "
            "a period inside that range."
        )
    return report


def _changes(table: pd.DataFrame, report: pd.Period, ci: float, alpha: float) -> pd.DataFrame:
    """Return :data:`CHANGE_COLUMNS`: the report period against the previous period."""
    previous = report - 1
    now = table[table["period"] == report].set_index("theme")
    before = table[table["period"] == previous].set_index("theme").reindex(now.index)
    rows = []
    for theme, row in now.iterrows():
        m0, n0 = before.loc[theme, ["mentions", "commented"]]
        n0 = 0 if pd.isna(n0) else int(n0)
        m0 = 0 if pd.isna(m0) else int(m0)
        low, high, p = two_proportions(int(row["mentions"]), int(row["commented"]), m0, n0, ci=ci)
        share0 = 100 * m0 / n0 if n0 else np.nan
        diff = row["share"] - share0
        rows.append((theme, report, previous, row["share"], share0, diff, 100 * low, 100 * high, p))
    out = pd.DataFrame(rows, columns=list(CHANGE_COLUMNS[:-2]))
    out["p_adjusted"] = holm(out["p_value"].to_numpy())
    out["significant"] = out["p_adjusted"] < alpha
    return out
