"""Raw text columns to canonical dtypes, with a mask of the values that could not be converted.

Each converter takes one raw column (text, categorical, or already typed from Parquet/XLSX) and
returns the converted column plus boolean masks of bad values; it never drops or reorders rows.
Converters for low-cardinality columns (scores, flags, stages, categories) work on the distinct
values only and then index back, so their cost is one pass over integer codes.
"""

from __future__ import annotations

import datetime as dt
import warnings
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxkit.errors import AmbiguousDateWarning
from cxkit.io import timezones
from cxkit.io.labels import normalize_label, parse_label
from cxkit.io.schemas import JOURNEY_STAGES

__all__ = [
    "to_category",
    "to_count",
    "to_datetime",
    "to_flag",
    "to_id",
    "to_number",
    "to_score",
    "to_stage",
    "to_text",
]

_TRUE = frozenset({"1", "true", "yes", "y", "si", "s", "t", "verdadero", "x"})
_FALSE = frozenset({"0", "false", "no", "n", "f", "falso"})

#: Spanish and English names of the journey stages (normalized) -> canonical stage.
STAGE_SYNONYMS = {
    **{s: s for s in JOURNEY_STAGES},
    "atraer": "attract",
    "atraccion": "attract",
    "aceptar": "accept",
    "aceptacion": "accept",
    "adoptar": "adopt",
    "adopcion": "adopt",
    "amplificar": "amplify",
    "amplificacion": "amplify",
    "avanzar": "advance",
    "avance": "advance",
}


_STR = pd.StringDtype("pyarrow", na_value=np.nan)


def arrow_text(raw: pd.Series) -> pa.ChunkedArray:
    """Return the Arrow strings behind a text column (zero-copy when Arrow-backed already)."""
    if raw.dtype == "str" and hasattr(raw.array, "__arrow_array__"):
        return raw.array.__arrow_array__()
    text = raw.astype("object").where(raw.notna(), None)
    return pa.chunked_array(
        [pa.array(text.map(_as_text, na_action="ignore"), type=pa.large_string())]
    )


def _as_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def text_series(values: pa.ChunkedArray, index: pd.Index) -> pd.Series:
    """Wrap Arrow strings as a pandas ``str`` column, without copying them."""
    return pd.Series(pd.arrays.ArrowStringArray(values, dtype=_STR), index=index)


def _codes(raw: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and the distinct values of ``raw``."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        return raw.cat.codes.to_numpy(), raw.cat.categories
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def _per_value(raw: pd.Series, func: Callable[[object], tuple[float, bool]]):
    """Apply ``func`` to each distinct value of ``raw``; return the codes and two tables.

    ``func`` returns (number, bad) for one distinct value. The tables (numbers, bad) hold one
    entry per distinct value and a last one for missing rows (nan, False), so that code -1
    finds it; :func:`_spread` turns them into per-row arrays.
    """
    codes, uniques = _codes(raw)
    results = [func(u) for u in uniques]
    numbers = np.array([r[0] for r in results] + [np.nan], dtype="float64")
    bad = np.array([r[1] for r in results] + [False], dtype=bool)
    return codes, numbers, bad


def _spread(codes: np.ndarray, *tables: np.ndarray) -> list[np.ndarray]:
    """Per-row arrays ``table[codes]`` from tables of one entry per distinct value.

    The codes are made platform integers once for all the tables (NumPy would convert narrow
    codes again for every gather), and a boolean table with no True entry gives zeros without
    a gather: most columns have no bad value.
    """
    index = None
    out = []
    for table in tables:
        if table.dtype == bool and not table.any():
            out.append(np.zeros(len(codes), dtype=bool))
            continue
        if index is None:
            index = codes.astype(np.intp, copy=False)
        out.append(table[index])
    return out


def _is_number(dtype) -> bool:
    return pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)


def _stored_numbers(raw: pd.Series) -> np.ndarray | None:
    """Return ``raw`` as a new float array (NaN where missing) if the file stored numbers.

    Numbers come typed (Parquet, XLSX) or as a categorical of numbers (a Parquet float column
    of few distinct values, read as codes); for text the result is None.
    """
    if _is_number(raw.dtype):
        return np.array(raw.to_numpy(dtype="float64", na_value=np.nan), copy=True)
    if isinstance(raw.dtype, pd.CategoricalDtype) and _is_number(raw.cat.categories.dtype):
        codes, values = _codes(raw)
        return np.append(values.to_numpy(dtype="float64"), np.nan)[codes]
    return None


def _small_ints(numbers: np.ndarray, dtype: str) -> pd.arrays.IntegerArray:
    """Build a nullable integer array from floats whose missing values are NaN."""
    missing = np.isnan(numbers)
    return pd.arrays.IntegerArray(np.where(missing, 0, numbers).astype(dtype.lower()), missing)


def to_score(raw: pd.Series, low: int, high: int, labels: Mapping[str, int]):
    """Convert answers to integer scores on ``low..high``.

    Returns
    -------
    values : pandas.Series
        ``Int8`` (``Int16`` for wide scales); bad values become missing.
    invalid : numpy.ndarray of bool
        Not a number, not a whole number, and no label matched.
    out_of_range : numpy.ndarray of bool
        A number outside ``low..high``.
    """
    dtype = "int8" if low >= -128 and high <= 127 else "int16"
    if _is_number(raw.dtype):  # typed numbers (Parquet, XLSX): checked row by row
        numbers = np.array(raw.to_numpy(dtype="float64", na_value=np.nan), copy=True)
        invalid, out_of_range = _score_checks(numbers, np.zeros(len(raw), dtype=bool), low, high)
        values = _small_ints(numbers, dtype)
    else:  # text, or codes of distinct values: each distinct value checked once
        values, invalid, out_of_range = _coded_scores(raw, low, high, labels, dtype)
    return pd.Series(values, index=raw.index), invalid, out_of_range


def _coded_scores(raw: pd.Series, low: int, high: int, labels: Mapping[str, int], dtype: str):
    """:func:`to_score` for text or a categorical (of text or numbers): per distinct value."""
    numeric = isinstance(raw.dtype, pd.CategoricalDtype) and _is_number(raw.cat.categories.dtype)

    def parse(value: object) -> tuple[float, bool]:
        if numeric:  # codes of numbers (a Parquet float column): the number itself
            return float(value), False
        score = parse_label(value, labels)
        return (np.nan, True) if score is None else (score, False)

    codes, numbers, invalid = _per_value(raw, parse)  # last entry, for no answer: NaN, False
    invalid, out_of_range = _score_checks(numbers, invalid, low, high)
    missing = np.isnan(numbers)
    values, missing, invalid, out_of_range = _spread(
        codes, np.where(missing, 0, numbers).astype(dtype), missing, invalid, out_of_range
    )
    return pd.arrays.IntegerArray(values, missing), invalid, out_of_range


def _score_checks(numbers: np.ndarray, invalid: np.ndarray, low: int, high: int):
    """Mark ``numbers`` that are no score (``invalid``) or outside ``low..high``; blank them.

    ``numbers`` is changed in place: a rejected value becomes NaN. Returns the invalid and
    out-of-range masks.
    """
    with np.errstate(invalid="ignore"):
        fractional = np.isfinite(numbers) & (numbers != np.round(numbers))
        invalid = invalid | fractional | np.isinf(numbers)
        out_of_range = ~invalid & ((numbers < low) | (numbers > high))
    numbers[invalid | out_of_range] = np.nan
    return invalid, out_of_range


def _categorical(
    raw: pd.Series, func: Callable[[object], tuple[str | None, bool]], categories, **kwargs
):
    """Map each distinct value with ``func`` to (category or None, bad); build the column."""
    position = {c: i for i, c in enumerate(categories)}

    def code(value: object) -> tuple[float, bool]:
        found, bad = func(value)
        return (np.nan, bad) if found is None else (position[found], False)

    codes, numbers, bad = _per_value(raw, code)
    narrow = "int8" if len(categories) < 127 else "int32"
    table = np.where(np.isnan(numbers), -1, numbers).astype(narrow)
    codes, bad = _spread(codes, table, bad)
    values = pd.Categorical.from_codes(codes, categories=categories, **kwargs)
    return pd.Series(values, index=raw.index), bad


def to_category(raw: pd.Series, recode: Mapping[str, str] | None = None):
    """Strip white space, apply ``recode`` (normalized label -> value); empty becomes missing.

    Categories are sorted alphabetically, so tables and plots list groups in a stable order.
    """
    recode = recode or {}

    def clean(value: object) -> tuple[str | None, bool]:
        text = _as_text(value).strip()
        return recode.get(normalize_label(text), text) or None, False

    _, uniques = _codes(raw)
    names = sorted({name for name in (clean(u)[0] for u in uniques) if name is not None})
    return _categorical(raw, clean, pd.Index(names, dtype="str"))[0]


def to_stage(raw: pd.Series, recode: Mapping[str, str] | None = None):
    """Map stage names (English or Spanish, or ``recode``) to the five journey stages.

    Returns the ordered categorical column and a mask of unknown stage names.
    """
    recode = recode or {}

    def stage(value: object) -> tuple[str | None, bool]:
        key = normalize_label(value)
        if not key:
            return None, False
        found = STAGE_SYNONYMS.get(normalize_label(recode.get(key, key)))
        return found, found is None

    return _categorical(raw, stage, list(JOURNEY_STAGES), ordered=True)


def to_flag(raw: pd.Series):
    """Yes/no answers (English, Spanish, 1/0, true/false) to a nullable boolean column."""

    def flag(value: object) -> tuple[float, bool]:
        key = normalize_label(_as_text(value))
        if key in ("", "nan"):
            return np.nan, False
        if key in _TRUE:
            return 1.0, False
        if key in _FALSE:
            return 0.0, False
        return np.nan, True

    codes, numbers, bad = _per_value(raw, flag)
    missing = np.isnan(numbers)
    values, missing, bad = _spread(codes, np.where(missing, 0, numbers).astype(bool), missing, bad)
    return pd.Series(pd.arrays.BooleanArray(values, missing), index=raw.index), bad


def to_id(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Read identifiers as text without outer spaces; return the column and a missing mask."""
    text = _trimmed(arrow_text(raw))
    if pc.any(pc.equal(text, "")).as_py():
        text = pc.if_else(pc.equal(text, ""), None, text)
    values = text_series(text, raw.index)
    return values, values.isna().to_numpy()


def repeated(ids: pd.Series) -> tuple[np.ndarray, dict[int, int]]:
    """Find values already seen on an earlier row (missing values are never repeats).

    Sorts the values with Arrow's stable sort, so equal values sit together in file order and
    each run's first row is the value's first appearance. A sort needs far less memory than a
    hash table of millions of distinct strings (see benchmarks/RESULTS.md).

    Returns
    -------
    mask : numpy.ndarray of bool
        True on every appearance after the first.
    first : dict
        Position of each repeat -> position of that value's first appearance.
    """
    text = arrow_text(ids)
    order = pc.sort_indices(text).to_numpy()  # nulls last
    ordered = text.take(order)
    same = pc.equal(ordered.slice(1), ordered.slice(0, max(len(ordered) - 1, 0)))
    again = np.concatenate(([False], _numpy(same.fill_null(False)).astype(bool)))
    out = np.zeros(len(text), dtype=bool)
    hits = np.flatnonzero(again)
    if not hits.size:
        return out, {}
    out[order] = again
    starts = np.flatnonzero(~again)  # in sorted order, where each value's run begins
    run_start = starts[np.searchsorted(starts, hits, side="right") - 1]
    return out, dict(zip(order[hits].tolist(), order[run_start].tolist(), strict=True))


def to_text(raw: pd.Series) -> pd.Series:
    """Free text (comments) kept as written; empty or blank becomes missing."""
    text = arrow_text(raw)
    blank = pc.match_substring_regex(text, r"^\s*$")
    if pc.any(blank).as_py():
        text = pc.if_else(blank, None, text)
    return text_series(text, raw.index)


def _fast_number(raw: pd.Series, decimal: str) -> pd.Series | None:
    """Arrow's strict cast when every value is a plain number; ``None`` when one is not."""
    text = arrow_text(raw)
    if decimal == ",":
        text = pc.replace_substring(text, ",", ".")
    try:
        numbers = text.cast(pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    return pd.Series(_numpy(numbers).astype("float64"), index=raw.index)


def to_number(raw: pd.Series, decimal: str = "."):
    """Numbers written with a ``decimal`` point or comma, thousands separators and currency signs.

    With ``decimal=","`` a value such as ``1.234,5`` is 1234.5; with ``"."``, ``1,234.5``
    is. A thousands separator is only removed where it matches the pattern of groups of three
    digits, so ``4,5`` in a decimal-point file is rejected rather than read as 45.

    Returns the ``float64`` column and a mask of values that are not finite numbers.
    """
    stored = _stored_numbers(raw)
    if stored is not None:
        numbers = pd.Series(stored, index=raw.index)
    else:
        numbers = _fast_number(raw, decimal)
        if numbers is None:
            return _slow_number(raw, decimal)
    bad = ~np.isfinite(numbers.to_numpy()) & raw.notna().to_numpy()
    return numbers.where(~bad), bad


def _slow_number(raw: pd.Series, decimal: str):
    text = text_series(arrow_text(raw), raw.index)
    text = text.str.replace(r"[\s\u00a0€$£]", "", regex=True)
    thousands, point = (".", ",") if decimal == "," else (",", ".")
    pattern = rf"^[+-]?\d{{1,3}}(?:\{thousands}\d{{3}})+(?:\{point}\d+)?$"
    grouped = text.str.match(pattern, na=False)
    if grouped.any():
        text = text.where(~grouped, text.str.replace(thousands, "", regex=False))
    if decimal == ",":
        text = text.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    present = text.notna() & (text != "")
    bad = (present & ~np.isfinite(numbers)).to_numpy()
    return numbers.where(~bad), bad


def to_count(raw: pd.Series, decimal: str = "."):
    """Whole numbers of at least 1 (contacts per ticket); returns ``Int32`` and a bad mask."""
    numbers, bad = to_number(raw, decimal)
    values = numbers.to_numpy(copy=True)
    with np.errstate(invalid="ignore"):
        bad = bad | (np.isfinite(values) & ((values < 1) | (values != np.round(values))))
    values[bad] = np.nan
    return pd.Series(_small_ints(values, "Int32"), index=raw.index), bad


# ----------------------------------------------------------------------------------- dates
_DMY = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
_MDY = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")
_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
_FAMILIES = {
    "ymd": tuple(f"%Y/%m/%d{t}" for t in _TIMES),
    "dmy": tuple(d + t for d in _DMY for t in _TIMES),
    "mdy": tuple(d + t for d in _MDY for t in _TIMES),
}


def _parse(values: pd.Series, fmt: str) -> pd.Series:
    """Pandas' parser: slower, but it knows ISO 8601 zones and fractions."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(values, format=fmt, errors="coerce", utc=True)
    return parsed.dt.tz_convert(None)


def _arrow_parse(text: pa.ChunkedArray, formats: tuple[str, ...]) -> pa.ChunkedArray:
    """Arrow's strptime, format after format, on what is still unparsed (nulls remain)."""
    parsed = None
    for fmt in formats:
        try:
            attempt = pc.strptime(text, format=fmt, unit="us", error_is_null=True)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue  # a directive Arrow does not know: pandas handles the rest
        parsed = attempt if parsed is None else pc.coalesce(parsed, attempt)
        if parsed.null_count == text.null_count:
            break
    return parsed if parsed is not None else pa.nulls(len(text), pa.timestamp("us"))


def _family_masks(sample: pd.Series) -> dict[str, np.ndarray]:
    """Which sample values each non-ISO family parses with any of its formats."""
    masks = {}
    for name, formats in _FAMILIES.items():
        parsed = np.zeros(len(sample), dtype=bool)
        for fmt in formats:
            parsed |= _parse(sample, fmt).notna().to_numpy()
        masks[name] = parsed
    return masks


def _choose_family(sample: pd.Series, dayfirst: bool | None, column: str) -> str | None:
    """Return the family that parses most of ``sample`` (non-ISO values), or None."""
    masks = _family_masks(sample)
    scores = {name: int(mask.sum()) for name, mask in masks.items()}
    best = max(scores.values())
    if best == 0:
        return None
    if scores["dmy"] == scores["mdy"] == best:
        if dayfirst is None:
            _warn_order(sample, masks, column)
            dayfirst = True
        return "dmy" if dayfirst else "mdy"
    return max(scores, key=scores.get)


def _warn_order(sample: pd.Series, masks: dict[str, np.ndarray], column: str) -> None:
    """Warn that day-first was assumed, saying truly why: every value fits both, or they clash."""
    only_dmy = np.flatnonzero(masks["dmy"] & ~masks["mdy"])
    only_mdy = np.flatnonzero(masks["mdy"] & ~masks["dmy"])
    if len(only_dmy) and len(only_mdy):
        message = (
            f"Dates in {column!r} mix day-first values (e.g. {sample.iloc[only_dmy[0]]!r}) and "
            f"month-first values (e.g. {sample.iloc[only_mdy[0]]!r}); reading them day-first, so "
            "the month-first ones are quarantined as unreadable. Set `dates: {dayfirst: false}` "
            "in the mapping if most are month-first, or correct the export."
        )
    else:
        both = np.flatnonzero(masks["dmy"] & masks["mdy"])
        message = (
            f"Dates in {column!r} (e.g. {sample.iloc[both[0]]!r}) could be day-first or "
            "month-first and every value fits both; reading them day-first. Set "
            "`dates: {dayfirst: false}` in the mapping if they are month-first."
        )
    warnings.warn(message, AmbiguousDateWarning, stacklevel=5)


def to_datetime(
    raw: pd.Series,
    *,
    dayfirst: bool | None = None,
    fmt: str | None = None,
    column: str = "date",
    timezone: dt.tzinfo | None = None,
):
    """Parse dates and times into naive wall-clock times of one time zone.

    The format is ``fmt`` when given; otherwise the family of formats (ISO 8601, year/month/day,
    day/month/year, month/day/year, each with or without a time) that parses most of a sample
    of the values. ISO 8601 values are always read as ISO. Day-first and month-first are told
    apart by values whose first or second field exceeds 12; when no value decides it,
    ``dayfirst`` decides, and without it day-first is assumed with an
    :class:`~cxkit.errors.AmbiguousDateWarning` that says why.

    Values with a UTC offset or zone name (see :mod:`cxkit.io.timezones`) are converted to
    ``timezone`` (default: the first zone seen in ``raw``) and the zone is dropped; values
    without one are taken as already written in that zone.

    Returns the ``datetime64`` column and a mask of present values that could not be parsed.
    """
    if isinstance(raw.dtype, pd.DatetimeTZDtype):
        target = timezone or raw.dt.tz
        return raw.dt.tz_convert(target).dt.tz_localize(None), np.zeros(len(raw), dtype=bool)
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return raw, np.zeros(len(raw), dtype=bool)
    text = _trimmed(arrow_text(raw))
    present = pc.is_valid(text).to_numpy(zero_copy_only=False)
    zoned = timezones.has_zone(text)
    plain = text
    if zoned.any():  # parsed apart, in the client zone; the rest as written
        plain = pc.if_else(pa.chunked_array([pa.array(zoned)]), pa.scalar(None, text.type), text)
    values = _parse_plain(plain, raw.index, present & ~zoned, dayfirst, fmt, column)
    if zoned.any():
        target = timezone or timezones.first_zone(raw)
        values[zoned] = timezones.parse_zoned(text_series(text, raw.index)[zoned], target)
    return values, values.isna().to_numpy() & present


def _parse_plain(
    text: pa.ChunkedArray,
    index: pd.Index,
    present: np.ndarray,
    dayfirst: bool | None,
    fmt: str | None,
    column: str,
) -> pd.Series:
    """Values without a zone: Arrow's fast parser, then pandas for what is left."""
    fast, slow = ((fmt,), (fmt,)) if fmt else _formats(text, dayfirst, column)
    values = pd.Series(_numpy(_arrow_parse(text, fast)), index=index).astype("datetime64[us]")
    left = values.isna().to_numpy() & present
    for other in slow:  # fractions of a second, formats Arrow lacks: few rows, if any
        if not left.any():
            break
        rest = text_series(text, index)[left]
        values[left] = _parse(rest, other).astype("datetime64[us]")
        left = values.isna().to_numpy() & present
    return values


#: Formats tried by Arrow for ISO 8601 text; anything else ISO goes to pandas.
_ARROW_ISO = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
)


def _trimmed(text: pa.ChunkedArray) -> pa.ChunkedArray:
    """``text`` without outer white space; ``text`` itself when no value had any.

    Trimming only removes bytes, so the same total length means nothing was trimmed; then the
    original is kept (shared with the raw column). Trimming and measuring take about a
    quarter of the time of a regular-expression search for outer spaces.
    """
    trimmed = pc.utf8_trim_whitespace(text)
    if pc.sum(pc.binary_length(trimmed)) == pc.sum(pc.binary_length(text)):
        return text
    return trimmed


def _numpy(values: pa.ChunkedArray) -> np.ndarray:
    return (
        values.to_numpy()
        if values.num_chunks != 1
        else values.chunk(0).to_numpy(zero_copy_only=False)
    )


def _formats(text: pa.ChunkedArray, dayfirst: bool | None, column: str):
    """Pick formats for Arrow's fast parser and pandas' fallback from a sample of values.

    ISO 8601 values are always read as ISO; the family of the other values (year/month/day,
    day/month/year, month/day/year) is chosen from them alone.
    """
    sample = pd.Series(pc.unique(text.slice(0, 20_000)).drop_null().to_pylist()[:2000], dtype="str")
    rest = sample[_parse(sample, "ISO8601").isna().to_numpy()] if len(sample) else sample
    family = _choose_family(rest.reset_index(drop=True), dayfirst, column) if len(rest) else None
    if family is None:
        return _ARROW_ISO, ("ISO8601",)
    return _ARROW_ISO + _FAMILIES[family], ("ISO8601", *_FAMILIES[family])
