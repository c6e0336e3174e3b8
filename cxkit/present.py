"""Client tables: a metric table as a client reads it, in English or Spanish.

:func:`present` takes a table from a metric function and returns a :class:`ClientTable`: a
pandas ``Styler`` with no index, headers and cxkit's own values in the report's language,
numbers formatted for the locale (``24.3 (17.5–31.1)``, ``59,6 %``, ``−1.6 points``, amounts
in the client's currency), groups below the minimum base suppressed with a note, and long
tables cut to what matters with a note saying so. It shows the same in JupyterLab and on the
report's pages; every value is HTML-escaped by the Styler. The raw table stays the analyst's.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from cxkit._checks import check_option
from cxkit.errors import CxkitError
from cxkit.i18n import (
    change,
    date_text,
    duration,
    interval,
    journey_text,
    money,
    number,
    percent,
    period_name,
)
from cxkit.i18n import table_text as _text

__all__ = ["KINDS", "ClientTable", "present"]

Format = Callable[[pd.Series, dict], str]


def _count(column: str) -> Format:
    return lambda row, o: number(row[column], o["lang"], 0)


def _interval(column: str, digits: int = 1, unit: str = "") -> Format:
    return lambda row, o: interval(
        row[column], row.get("ci_low"), row.get("ci_high"), o["lang"], digits, unit
    )


def _percent(column: str, digits: int = 1) -> Format:
    return lambda row, o: percent(row[column], o["lang"], digits)


def _hours(column: str) -> Format:
    return lambda row, o: duration(row[column], o["lang"])


def _money(column: str, digits: int = 0) -> Format:
    return lambda row, o: money(row[column], o["lang"], o.get("currency"), digits)


def _difference(row: pd.Series, o: dict) -> str:
    unit = {"nps": "points", "csat": "pp", "ces": "scale"}[o["metric"]]
    digits = 2 if o["metric"] == "ces" else 1
    low, high = number(row["ci_low"], o["lang"], digits), number(row["ci_high"], o["lang"], digits)
    span = _text(o["lang"])["range"].format(low=low, high=high)
    return f"{change(row['difference'], o['lang'], digits, unit)} ({span})"


def _journey(column: str) -> Format:
    """Write a stage or quadrant in the report's language."""
    return lambda row, o: journey_text(o["lang"]).get(row[column], str(row[column]))


def _importance_share(row: pd.Series, o: dict) -> str:
    """Write the share of importance with its interval (the importance interval, rescaled)."""
    scale = 100 * row["share"] / row["importance"] if row["importance"] else float("nan")
    low, high = row["importance_low"] * scale, row["importance_high"] * scale
    return interval(100 * row["share"], low, high, o["lang"], 0, "%")


def _rating(row: pd.Series, o: dict) -> str:
    low, high = row.get("performance_low"), row.get("performance_high")
    return interval(row["performance"], low, high, o["lang"], 2)


def _gain(row: pd.Series, o: dict) -> str:
    low, high = (
        number(row["expected_gain_low"], o["lang"]),
        number(row["expected_gain_high"], o["lang"]),
    )
    head = change(row["expected_gain"], o["lang"], 1, "points")
    if low == "–" or high == "–":
        return head
    return f"{head} ({_text(o['lang'])['range'].format(low=low, high=high)})"


def _compared_with(row: pd.Series, o: dict) -> str:
    if row["reference"] == "rest":
        return _text(o["lang"])["the_rest"]
    return period_name(row["reference"], o["lang"])


def _p(row: pd.Series, o: dict) -> str:
    p = row["p_adjusted"]
    return "< " + number(0.001, o["lang"], 3) if p < 0.001 else number(p, o["lang"], 3)


#: For each kind of table: its columns, as (header key, source column, formatter, numeric?),
#: and the header keys whose values are suppressed for small bases. A column whose source is
#: not in the table is left out (business-hours times, for example, exist only for some
#: helpdesk exports).
KINDS: dict[str, tuple[list[tuple[str, str, Format, bool]], list[str]]] = {
    "nps": (
        [("responses", "n", _count("n"), True), ("nps", "nps", _interval("nps"), True),
         ("promoters", "promoters_pct", _percent("promoters_pct"), True),
         ("detractors", "detractors_pct", _percent("detractors_pct"), True)],
        ["nps", "promoters", "detractors"],
    ),
    "csat": (
        [("responses", "n", _count("n"), True),
         ("csat", "csat", _interval("csat", unit="%"), True),
         ("csat_mean", "mean", lambda r, o: number(r["mean"], o["lang"], 2), True)],
        ["csat", "csat_mean"],
    ),
    "ces": (
        [("responses", "n", _count("n"), True), ("ces", "ces", _interval("ces", 2), True),
         ("pct_easy", "pct_easy", _percent("pct_easy"), True)],
        ["ces", "pct_easy"],
    ),
    "compare": (
        [("compared_with", "reference", _compared_with, False),
         ("difference", "difference", _difference, True),
         ("p_adjusted", "p_adjusted", _p, True),
         ("reading", "reading", lambda r, o: r["reading"], False)],
        [],
    ),
    "service": (
        [("tickets", "tickets", _count("tickets"), True),
         ("open_tickets", "open_tickets", _count("open_tickets"), True),
         ("first_response_median_h", "first_response_median_h",
          _hours("first_response_median_h"), True),
         ("first_response_business_median_h", "first_response_business_median_h",
          _hours("first_response_business_median_h"), True),
         ("resolution_median_h", "resolution_median_h", _hours("resolution_median_h"), True),
         ("resolution_business_median_h", "resolution_business_median_h",
          _hours("resolution_business_median_h"), True),
         ("fcr", "fcr", _interval("fcr", unit="%"), True)],
        ["fcr"],
    ),
    "fcr": (
        [("tickets", "n", _count("n"), True), ("fcr", "fcr", _interval("fcr", unit="%"), True)],
        ["fcr"],
    ),
    "churn": (
        [("customers_at_start", "n", _count("n"), True),
         ("churn_rate", "churn_rate", _interval("churn_rate", 2, unit="%"), True),
         ("churned", "churned", _count("churned"), True)],
        ["churn_rate"],
    ),
    "clv": (
        [("customers", "customers", _count("customers"), True),
         ("retention_rate", "retention_rate", _percent("retention_rate"), True),
         ("margin", "margin", _money("margin", 2), True), ("clv", "clv", _money("clv"), True)],
        [],
    ),
    "priorities": (
        [("stage", "stage", _journey("stage"), False),
         ("importance_share", "share", _importance_share, True),
         ("rating", "performance", _rating, True),
         ("top2", "top2_box", _percent("top2_box", 0), True),
         ("reach", "reach", lambda r, o: percent(100 * r["reach"], o["lang"], 0), True),
         ("quadrant", "quadrant", _journey("quadrant"), False),
         ("expected_gain", "expected_gain", _gain, True)],
        ["importance_share", "rating", "top2", "expected_gain"],
    ),
    "stages": (
        [("stage", "stage", _journey("stage"), False),
         ("touchpoints", "touchpoints", _count("touchpoints"), True),
         ("stage_share", "share", lambda r, o: percent(100 * r["share"], o["lang"], 0), True),
         ("stage_rating", "performance", lambda r, o: number(r["performance"], o["lang"], 2),
          True),
         ("top2", "top2_box", _percent("top2_box", 0), True),
         ("reach", "reach", lambda r, o: percent(100 * r["reach"], o["lang"], 0), True),
         ("weakest", "weakest", lambda r, o: str(r["weakest"]), False)],
        [],
    ),
    "verbatims": (
        [("responded_at", "responded_at",
          lambda r, o: date_text(r["responded_at"], o["lang"]), False),
         ("score", "nps", _count("nps"), True),
         ("segment", "segment", lambda r, o: str(r["segment"]), False),
         ("touchpoint", "touchpoint", lambda r, o: str(r["touchpoint"]), False),
         ("comment", "comment", lambda r, o: str(r["comment"]), False)],
        [],
    ),
}  # fmt: skip


@dataclass
class ClientTable:
    """A table for clients: a pandas ``Styler`` and the notes printed under it."""

    styler: object
    notes: list[str] = field(default_factory=list)

    def to_html(self) -> str:
        """Render the table and its notes as HTML (values escaped)."""
        notes = "".join(f'<p class="cx-note">{html.escape(n)}</p>' for n in self.notes)
        return self.styler.to_html() + notes

    def _repr_html_(self) -> str:
        return self.to_html()


#: The first column after a table's group columns, per kind (where its groups end).
_FIRST_VALUE = {
    "compare": "period",
    "service": "tickets",
    "clv": "customers",
    "verbatims": None,
    "priorities": "n",
    "stages": None,
}


def _group_by(data: pd.DataFrame, kind: str, by) -> list[str]:
    """Choose the group columns to show: those given, or the table's own (before its values)."""
    if by is not None:
        return [by] if isinstance(by, str) else list(by)
    first = _FIRST_VALUE.get(kind, "n")
    if first is None or first not in data.columns:
        return []
    names = list(data.columns[: list(data.columns).index(first)])
    if kind == "compare":
        names = names[1:]  # after the "comparison" column
    if kind in ("nps", "csat", "ces", "fcr", "churn") and "period" in data.columns:
        names = [c for c in names if c != "period"] + ["period"]
    return names


def _check_table(data: pd.DataFrame, kind: str, columns, metric: str | None) -> None:
    """Refuse a table of another kind, and a comparison whose metric is not said."""
    value = columns[1][1] if kind in ("nps", "csat", "ces", "fcr", "churn") else columns[0][1]
    if value not in data.columns:
        raise CxkitError(
            f"present(kind={kind!r}) needs a table with a {value!r} column; the table has "
            f"{list(data.columns)}. Pass the kind of the function that made it."
        )
    if kind == "compare":
        check_option("metric", metric, ("nps", "csat", "ces"))


def _group_columns(data: pd.DataFrame, by: list[str], lang: str) -> dict[str, pd.Series]:
    t = _text(lang)
    out = {}
    for column in by:
        values = data[column]
        if column == "period" or isinstance(values.dtype, pd.PeriodDtype):
            values = values.map(lambda p: period_name(p, lang))
        header = t.get(column, column.replace("_", " ").capitalize())
        out[header] = values.astype(str).fillna("–")
    return out


def present(
    data: pd.DataFrame,
    kind: str,
    *,
    lang: str = "en",
    by: str | list[str] | None = None,
    min_n: int = 30,
    max_rows: int | None = 12,
    currency: str | None = None,
    caption: str | None = None,
    metric: str | None = None,
    freq: str = "M",
) -> ClientTable:
    """Turn a metric table into a client table (see the module notes).

    Parameters
    ----------
    data : DataFrame
        A table from ``cx.nps``, ``cx.csat``, ``cx.ces``, ``cx.compare``,
        ``cx.service_metrics``, ``cx.fcr``, ``cx.churn_rate``, ``cx.clv`` or ``cx.verbatims``.
    kind : str
        Which of those it is: one of :data:`KINDS`.
    lang : {"en", "es"}
        The report's language.
    by : str or list of str, optional
        The group columns to show first. Default: the table's own group columns, the ones
        before its first value column (before ``n`` in a metric table); ``[]`` for none.
    min_n : int
        Rows flagged ``small_sample`` have their values replaced by "–" and a note.
    max_rows : int, optional
        Show at most this many rows (the first ones: sort ``data`` first), with a note.
    currency : str, optional
        ISO code of the client's currency for amounts ("EUR", "USD", ...).
    caption : str, optional
        The table's caption.
    metric : {"nps", "csat", "ces"}, optional
        For ``kind="compare"`` (required there): the metric compared, which sets the unit of
        the differences (points, percentage points, scale units).
    freq : str
        For ``kind="clv"``: the period of retention and margin ("M", "Q", "Y").

    Returns
    -------
    ClientTable
    """
    check_option("kind", kind, KINDS)
    check_option("lang", lang, ("en", "es"))
    columns, suppressed = KINDS[kind]
    _check_table(data, kind, columns, metric)
    by = _group_by(data, kind, by)
    total = len(data)
    shown = data.head(max_rows) if max_rows else data
    options = {"lang": lang, "currency": currency, "metric": metric, "by": by}
    t = _text(lang)
    table = pd.DataFrame(_group_columns(shown, by, lang), index=shown.index)
    small = shown["small_sample"].astype(bool) if "small_sample" in shown else None
    keys = []
    for key, source, fmt, _ in columns:
        if source not in shown.columns:
            continue
        header = t[key].format(freq=t.get(f"freq_{freq[:1]}", freq))
        values = [fmt(row, options) for _, row in shown.iterrows()]  # a dozen rows at most
        if small is not None and key in suppressed:
            values = ["–" if s else v for v, s in zip(values, small, strict=True)]
        table[header] = values
        keys.append((header, key))
    return ClientTable(
        _style(table, keys, columns, small, suppressed, caption),
        _notes(t, small, suppressed, min_n, len(shown), total),
    )


def _style(table, keys, columns, small, suppressed, caption):
    numeric = {c[0] for c in columns if c[3]}
    classes = pd.DataFrame("", index=table.index, columns=table.columns)
    for header, key in keys:
        if key in numeric:
            classes[header] = "num"
        if small is not None and key in suppressed:
            classes.loc[small.to_numpy(), header] = "num small"
    return client_styler(table, classes, caption)


def client_styler(table: pd.DataFrame, classes: pd.DataFrame, caption: str | None = None):
    """Style a client table: no index, cell classes, every value and header HTML-escaped.

    Sections that build their own tables (a root-cause tracker) use it to look like
    :func:`present`'s.
    """
    styler = (
        table.reset_index(drop=True)
        .style.hide(axis="index")
        .set_td_classes(classes.reset_index(drop=True))
        .set_table_attributes('class="cx-table"')
        .format(escape="html")
        .format_index(escape="html", axis=1)
    )
    return styler.set_caption(html.escape(caption)) if caption else styler


def _notes(t: dict, small, suppressed, min_n: int, shown: int, total: int) -> list[str]:
    notes = []
    if small is not None and suppressed and small.any():
        notes.append(t["small_note"].format(min_n=min_n))
    if shown < total:
        notes.append(t["cut_note"].format(shown=shown, total=total))
    return notes
