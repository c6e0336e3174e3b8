"""Close the loop: who needs a call back, who got one, how fast, and what happened next.

:func:`follow_up` lists the detractors (NPS 0-6) and unhappy CSAT answers (1-2) that need a
call, newest and most valuable first, joins them with a follow-up log (CSV or YAML: who called,
when, with what outcome), measures the follow-up rate and the service level (SLA), and compares
the later NPS of customers who were called back with that of those who were not.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from statsmodels.stats.proportion import proportion_confint

from cxkit._estimates import z_value
from cxkit._followuplog import check_entries, read_log
from cxkit._grouping import check_columns
from cxkit._results import SummaryRepr
from cxkit.compare import MetricTest, metric_test, nps_test
from cxkit.errors import CxkitError
from cxkit.redact import redact

__all__ = ["FollowUp", "LaterScores", "follow_up"]

_DAY = pd.Timedelta(days=1)
QUEUE_COLUMNS = [
    "response_id",
    "customer_id",
    "responded_at",
    "nps",
    "csat",
    "comment",
    "revenue",
    "followed_up",
    "who",
    "when",
    "outcome",
    "days_to_follow_up",
    "due",
    "sla_breached",
    "attempts",
]
_ASSOCIATIONAL = (
    "Associational, not causal: people choose whom to call back (and who answers), so the "
    "groups may differ in ways that also move their later scores."
)


@dataclass(frozen=True, repr=False)
class LaterScores(SummaryRepr):
    """Later score of called-back customers against the others (followed minus not followed).

    ``metric`` is "nps" (points) or "csat" (top-2-box, percentage points); ``test`` is the
    underlying :class:`cxkit.compare.MetricTest` (None when a group has no later answer).
    """

    metric: str
    n_followed: int
    n_not_followed: int
    n_without_later: int
    followed: float
    not_followed: float
    difference: float
    ci_low: float
    ci_high: float
    p_value: float
    note: str
    test: MetricTest | None = None

    @property
    def summary(self) -> pd.DataFrame:
        """One-row DataFrame of the comparison (without the test object)."""
        row = asdict(self)
        row.pop("test")
        return pd.DataFrame([row])

    def __repr__(self) -> str:
        if self.test is None:
            return (
                f"Later {self.metric}: no comparison (later answers: {self.n_followed} "
                f"followed up, {self.n_not_followed} not). {self.note}"
            )
        return (
            f"Later {self.metric}: followed up {self.followed:.1f} (n={self.n_followed}) vs "
            f"not {self.not_followed:.1f} (n={self.n_not_followed}): difference "
            f"{self.difference:+.1f} [{self.ci_low:.1f}, {self.ci_high:.1f}], "
            f"p = {self.p_value:.3g}. {self.note}"
        )


@dataclass(frozen=True, repr=False)
class FollowUp(SummaryRepr):
    """Result of :func:`follow_up`.

    Attributes
    ----------
    queue : DataFrame
        One row per response needing a call (columns in the function's Returns).
    summary : DataFrame
        ``measure, value, ci_low, ci_high``: counts, rates (percent, Wilson interval), the
        median days to follow up, and the log's rows accepted and quarantined.
    later_scores : LaterScores
    quarantine : DataFrame
        Bad log rows: ``row, response_id, who, when, outcome, reason, fix``.
    log : DataFrame
        The accepted log entries (every attempt), with ``when_at`` and ``date_only``.
    as_of : Timestamp
    sla_days : float
    """

    queue: pd.DataFrame
    summary: pd.DataFrame
    later_scores: LaterScores
    quarantine: pd.DataFrame
    log: pd.DataFrame
    as_of: pd.Timestamp
    sla_days: float
    notes: list[str] = field(default_factory=list)

    def to_csv(self, path: str | Path) -> Path:
        """Write the queue for a CRM: UTF-8 with a byte-order mark so that Excel opens it."""
        path = Path(path)
        self.queue.to_csv(path, index=False, encoding="utf-8-sig", date_format="%Y-%m-%d %H:%M:%S")
        return path

    def __repr__(self) -> str:
        lines = [
            f"FollowUp as of {self.as_of:%Y-%m-%d %H:%M} (SLA {self.sla_days:g} days)",
            self.summary.round(2).to_string(index=False),
            repr(self.later_scores),
        ]
        if len(self.quarantine):
            lines.append(f"{len(self.quarantine)} log row(s) quarantined: see .quarantine")
        return "\n".join(lines + [f"Note: {n}" for n in self.notes])

    def _repr_html_(self) -> str:
        extra = [repr(self.later_scores), *self.notes]
        if len(self.quarantine):
            extra.append(f"{len(self.quarantine)} log row(s) quarantined: see .quarantine")
        return super()._repr_html_() + "".join(f"<p>{html.escape(t)}</p>" for t in extra)


def follow_up(
    data: pd.DataFrame,
    *,
    log: str | Path | pd.DataFrame | None = None,
    sla_days: float = 2,
    as_of: str | pd.Timestamp | None = None,
    customers: pd.DataFrame | None = None,
    score: str | None = "nps",
    csat: str | None = "csat",
    ci: float = 0.95,
    lang: str = "en",
) -> FollowUp:
    """Queue the responses that need a call back, join a follow-up log, measure the loop.

    Parameters
    ----------
    data : DataFrame
        Canonical responses: ``response_id``, ``customer_id``, ``responded_at`` (datetime),
        the ``score`` and/or ``csat`` columns, and ``comment`` when there is one.
    log : path or DataFrame, optional
        The follow-up log, a .csv or .yml/.yaml file (a list of entries, optionally under
        ``follow_ups:``) or a DataFrame, with ``response_id, who, when, outcome`` (``who``
        and ``outcome`` optional); ``when`` is YYYY-MM-DD or YYYY-MM-DD HH:MM. One entry per
        call attempt.
    sla_days : float
        Days after the response within which the call is due (default 2).
    as_of : str or Timestamp, optional
        The moment the queue is read (default the last response's ``responded_at``).
    customers : DataFrame, optional
        Canonical customers (``customer_id, revenue``): adds each customer's revenue.
    score, csat : str or None
        NPS (0-10) and CSAT columns; None (or an absent column) leaves that criterion out.
    ci : float
        Level of the intervals.
    lang : {"en", "es"}
        Language of the masks that replace e-mail addresses and phone numbers in comments.

    Returns
    -------
    FollowUp
        ``queue`` with ``response_id, customer_id, responded_at, nps, csat, comment, revenue,
        followed_up, who, when, outcome, days_to_follow_up, due, sla_breached, attempts``;
        ``summary``, ``later_scores``, ``quarantine``, ``log`` and ``to_csv(path)``.

    Notes
    -----
    A response needs a call when NPS <= 6 (a detractor) or CSAT <= 2. Its follow-up is its
    **first** accepted log entry (who, when, outcome); ``attempts`` counts all of them.
    ``days_to_follow_up`` = (when - responded_at) in days; for a date without a time, it is
    counted from the start of the response's day. ``due`` = responded_at + ``sla_days``;
    ``sla_breached`` is true when the follow-up came after ``due`` (after its day, for a
    date alone), or when there is none and ``as_of`` is past ``due`` (``overdue``). The
    queue is sorted by the response's day, newest first, then by revenue, largest first.
    ``as_of`` only decides which responses without a follow-up are overdue: every accepted
    log entry counts as a follow-up, whatever its date.

    Log entries are quarantined, with their reason and fix, when the response_id is missing,
    unknown, or of a response that needs no call, when ``when`` is missing or not an ISO
    date, or when it is before the response. The follow-up rate (followed up / needing a
    call) and the SLA breach rate (breaches / needing a call) carry Wilson intervals
    (statsmodels ``proportion_confint(method="wilson")``; Wilson, 1927).

    ``later_scores`` takes, for each response in the queue, its customer's next answer after
    the follow-up (after the follow-up's day when it has no time; a follow-up logged at
    midnight exactly counts as a date alone) or, when not followed up, after the response
    itself, and compares the two groups with :func:`cxkit.compare.nps_test` (adjusted Wald,
    followed minus not followed), or CSAT top-2-box when there is no NPS. Each flagged
    response counts once, so a customer flagged twice counts twice. This is associational:
    people choose whom to call back, and who picks up.
    """
    z_value(ci)  # checks ci
    responses, flagged = _responses(data, score, csat, customers)
    as_of = _as_of(as_of, responses["responded_at"])
    if isinstance(sla_days, bool) or not isinstance(sla_days, (int, float)) or not sla_days >= 0:
        raise CxkitError(f"`sla_days` must be a number of days >= 0; got {sla_days!r}.")
    entries = read_log(log)
    accepted, quarantine = check_entries(
        entries,
        responses.set_index("response_id")["responded_at"],
        flagged.set_axis(responses["response_id"]),
    )
    queue = _queue(responses[flagged], accepted, sla_days, as_of, lang)
    summary = _summary(queue, as_of, len(entries), len(quarantine), ci)
    later = _later_scores(responses, queue, ci)
    notes = (
        []
        if not responses["customer_id"].isna().any()
        else ["Responses without a customer_id cannot be matched to a later answer."]
    )
    return FollowUp(queue, summary, later, quarantine, accepted, as_of, float(sla_days), notes)


def _responses(data, score, csat, customers) -> tuple[pd.DataFrame, pd.Series]:
    """Check the responses and return them (with revenue) and the needs-a-call mask."""
    if not isinstance(data, pd.DataFrame):
        raise CxkitError(f"`data` must be a DataFrame of responses; got {type(data).__name__}.")
    check_columns(data, ["response_id", "customer_id", "responded_at"], parameter="data")
    _check_dates(data["responded_at"])
    _check_ids(data["response_id"])
    scores = {"nps": _scores(data, score, "score", 0, 10), "csat": _scores(data, csat, "csat", 1)}
    if scores["nps"] is None and scores["csat"] is None:
        raise CxkitError(
            f"`score`/`csat`: neither column ({score!r}, {csat!r}) is in the data, so no "
            "response can be flagged for a call. Name the NPS or CSAT column."
        )
    nan = pd.Series(np.nan, index=data.index)
    out = data[["response_id", "customer_id", "responded_at"]].copy()
    out["response_id"] = out["response_id"].astype(str).str.strip()  # the log's ids are text
    out["nps"] = (nan if scores["nps"] is None else scores["nps"]).astype("Int64")
    out["csat"] = (nan if scores["csat"] is None else scores["csat"]).astype("Int64")
    out["comment"] = data["comment"] if "comment" in data.columns else pd.NA
    out["revenue"] = _revenue(out["customer_id"], customers)
    out["responded_at"] = out["responded_at"].astype("datetime64[ns]")
    flagged = (out["nps"] <= 6).fillna(False) | (out["csat"] <= 2).fillna(False)
    return out, flagged.astype(bool)


def _check_dates(values: pd.Series) -> None:
    if not pd.api.types.is_datetime64_any_dtype(values) or values.dt.tz is not None:
        raise CxkitError(
            f"`data`: column 'responded_at' must hold naive dates and times; found dtype "
            f"{values.dtype}. Read the file with cx.read_responses, or convert the column "
            "with pd.to_datetime."
        )
    if values.isna().any():
        rows = list(values.index[values.isna()][:5])
        raise CxkitError(
            f"`data`: column 'responded_at' is empty in row(s) {rows}; every response needs "
            "its date. Fill it in or remove those rows."
        )


def _check_ids(values: pd.Series) -> None:
    if values.isna().any():
        rows = list(values.index[values.isna()][:5])
        raise CxkitError(
            f"`data`: column 'response_id' is empty in row(s) {rows}; the follow-up log "
            "refers to responses by id. Fill in the ids or remove those rows."
        )
    _check_unique(values.astype(str).str.strip(), "data", "response_id")


def _check_unique(values: pd.Series, parameter: str, column: str) -> None:
    duplicated = values.duplicated(keep=False) & values.notna()
    if duplicated.any():
        rows = list(values.index[duplicated][:5])
        raise CxkitError(
            f"`{parameter}`: column {column!r} must be unique; {values[duplicated].iloc[0]!r} "
            f"appears more than once (rows {rows}). Remove the duplicates."
        )


def _scores(data: pd.DataFrame, column: str | None, parameter: str, low: int, high=None):
    """Return the column as float scores, or None when not named or absent; checks the range."""
    if column is None or column not in data.columns:
        return None
    values = pd.to_numeric(data[column], errors="coerce").astype("float64")
    bad = data[column].notna() & values.isna() | (values < low) | (values > (high or np.inf))
    bad |= values.notna() & (values % 1 != 0)
    if bad.any():
        rows = list(data.index[bad][:5])
        expected = f"whole numbers {low}-{high}" if high else f"whole numbers from {low}"
        raise CxkitError(
            f"`{parameter}`: column {column!r} must hold {expected}; found "
            f"{str(data[column][bad].iloc[0])!r} in row(s) {rows}. Fix those values."
        )
    return values


def _revenue(customer_id: pd.Series, customers: pd.DataFrame | None) -> pd.Series:
    if customers is None:
        return pd.Series(np.nan, index=customer_id.index)
    if not isinstance(customers, pd.DataFrame):
        raise CxkitError(f"`customers` must be a DataFrame; got {type(customers).__name__}.")
    check_columns(customers, ["customer_id", "revenue"], parameter="customers")
    _check_unique(customers["customer_id"], "customers", "customer_id")
    revenue = pd.to_numeric(customers["revenue"], errors="coerce")
    bad = customers["revenue"].notna() & revenue.isna()
    if bad.any():
        raise CxkitError(
            f"`customers`: column 'revenue' must hold numbers; found "
            f"{str(customers['revenue'][bad].iloc[0])!r} in row(s) "
            f"{list(customers.index[bad][:5])}. Fix those values."
        )
    lookup = pd.Series(revenue.to_numpy(dtype="float64"), index=customers["customer_id"])
    return customer_id.map(lookup).astype("float64")


def _as_of(as_of, responded_at: pd.Series) -> pd.Timestamp:
    if as_of is None:
        return pd.Timestamp(responded_at.max())
    try:
        return pd.Timestamp(as_of)
    except (ValueError, TypeError):
        raise CxkitError(f"`as_of` must be a date such as '2026-01-31'; got {as_of!r}.") from None


def _queue(flagged: pd.DataFrame, accepted: pd.DataFrame, sla_days, as_of, lang) -> pd.DataFrame:
    """One row per response needing a call, with its first follow-up and the SLA."""
    first = accepted.sort_values(["when_at", "row"]).drop_duplicates("response_id")
    first = first.assign(attempts=first["response_id"].map(accepted["response_id"].value_counts()))
    queue = flagged.merge(
        first[["response_id", "who", "when_at", "outcome", "date_only", "attempts"]],
        on="response_id",
        how="left",
    ).rename(columns={"when_at": "when"})
    queue["comment"] = redact(queue["comment"].astype(object), lang=lang)
    queue["followed_up"] = queue["when"].notna()
    date_only = queue["date_only"].eq(True)
    start = queue["responded_at"].where(~date_only, queue["responded_at"].dt.normalize())
    queue["days_to_follow_up"] = (queue["when"] - start) / _DAY
    queue["due"] = queue["responded_at"] + sla_days * _DAY
    due = queue["due"].where(~date_only, queue["due"].dt.normalize())
    late = (queue["when"] > due).fillna(False).astype(bool)
    queue["sla_breached"] = late | (~queue["followed_up"] & (queue["due"] < as_of))
    queue["attempts"] = queue["attempts"].fillna(0).astype("int64")
    day = queue["responded_at"].dt.normalize()
    order = queue.assign(_day=day).sort_values(
        ["_day", "revenue", "responded_at"], ascending=False, na_position="last", kind="stable"
    )
    return order[QUEUE_COLUMNS].reset_index(drop=True)


def _summary(queue, as_of, log_rows: int, quarantined: int, ci: float) -> pd.DataFrame:
    """Tabulate counts, rates with Wilson intervals, and the median days to follow up."""
    needing = len(queue)
    followed = int(queue["followed_up"].sum())
    overdue = int((~queue["followed_up"] & (queue["due"] < as_of)).sum())
    breaches = int(queue["sla_breached"].sum())
    rows = [
        ("needing_call", needing, np.nan, np.nan),
        ("followed_up", followed, np.nan, np.nan),
        ("pending", needing - followed, np.nan, np.nan),
        ("overdue", overdue, np.nan, np.nan),
        ("follow_up_rate", *_rate(followed, needing, ci)),
        ("median_days_to_follow_up", queue["days_to_follow_up"].median(), np.nan, np.nan),
        ("sla_breaches", breaches, np.nan, np.nan),
        ("sla_breach_rate", *_rate(breaches, needing, ci)),
        ("log_rows", log_rows, np.nan, np.nan),
        ("log_quarantined", quarantined, np.nan, np.nan),
    ]
    return pd.DataFrame(rows, columns=["measure", "value", "ci_low", "ci_high"])


def _rate(successes: int, trials: int, ci: float) -> tuple[float, float, float]:
    """Percent with a Wilson interval; NaN when there are no trials."""
    if trials == 0:
        return np.nan, np.nan, np.nan
    low, high = proportion_confint(successes, trials, alpha=1 - ci, method="wilson")
    return 100 * successes / trials, 100 * float(low), 100 * float(high)


def _later_scores(responses: pd.DataFrame, queue: pd.DataFrame, ci: float) -> LaterScores:
    """Compare the next score of customers called back with that of those not called back.

    For each response in ``queue``, its customer's **next** response after the follow-up
    (after the follow-up's day when it has no time) or, when not followed up, after the
    flagged response; a follow-up logged at midnight exactly is taken as a date without a
    time. The test is :func:`cxkit.compare.nps_test` (adjusted Wald, b minus a:
    followed minus not followed) on those later NPS answers, or, without NPS, CSAT top-2-box
    (:func:`cxkit.compare.metric_test`). Associational only: see ``note``.
    """
    metric = "nps" if responses["nps"].notna().any() else "csat"
    later = _next_scores(responses, queue, metric)
    groups = {k: later.loc[later["followed_up"] == k, "later"].dropna() for k in (True, False)}
    missing = int(later["later"].isna().sum())
    counts = {"n_followed": len(groups[True]), "n_not_followed": len(groups[False])}
    if groups[True].empty or groups[False].empty:
        nan = dict.fromkeys(("followed", "not_followed", "difference", "ci_low", "ci_high"), np.nan)
        note = "Needs later answers from both called-back and other customers. " + _ASSOCIATIONAL
        return LaterScores(metric, **counts, n_without_later=missing, **nan, p_value=np.nan,
                           note=note)  # fmt: skip
    a, b = groups[False].to_numpy(dtype="float64"), groups[True].to_numpy(dtype="float64")
    test = nps_test(a, b, ci=ci) if metric == "nps" else metric_test(a, b, metric="csat", ci=ci)
    return LaterScores(
        metric,
        **counts,
        n_without_later=missing,
        followed=test.estimate_b,
        not_followed=test.estimate_a,
        difference=test.difference,
        ci_low=test.ci_low,
        ci_high=test.ci_high,
        p_value=test.p_value,
        note=_ASSOCIATIONAL,
        test=test,
    )


def _next_scores(responses: pd.DataFrame, queue: pd.DataFrame, metric: str) -> pd.DataFrame:
    """Return the queue's rows with ``later``, the next score after the reference time."""
    after = queue["when"].where(queue["when"].dt.normalize() != queue["when"], queue["when"] + _DAY)
    ref = after.where(queue["followed_up"], queue["responded_at"])
    left = queue.assign(_ref=ref.astype("datetime64[ns]"))[["customer_id", "_ref", "followed_up"]]
    right = responses.loc[responses[metric].notna(), ["customer_id", "responded_at", metric]]
    right = right.rename(columns={metric: "later"}).dropna(subset=["customer_id"])
    matched = pd.merge_asof(
        left.dropna(subset=["customer_id"]).reset_index().sort_values("_ref"),
        right.sort_values("responded_at"),
        left_on="_ref",
        right_on="responded_at",
        by="customer_id",
        direction="forward",
        allow_exact_matches=False,
    ).set_index("index")
    return left.assign(later=matched["later"].reindex(left.index))
