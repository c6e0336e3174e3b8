"""Raw text columns to canonical dtypes, with a mask of the values that could not be converted.

Each converter takes one raw column (text, categorical, or already typed from Parquet/XLSX) and
returns the converted column plus boolean masks of bad values; it never drops or reorders rows.
Converters for low-cardinality columns (scores, flags, stages, categories) work on the distinct
values only and then index back, so their cost is one pass over integer codes.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from cxkit.errors import AmbiguousDateWarning
from cxkit.labels import normalize_label, parse_label
from cxkit.schemas import JOURNEY_STAGES

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
    "atraer": "attract", "atraccion": "attract", "aceptar": "accept", "aceptacion": "accept",
    "adoptar": "adopt", "adopcion": "adopt", "amplificar": "amplify", "amplificacion": "amplify",
    "avanzar": "advance", "avance": "advance",
}


def _codes(raw: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Integer codes (-1 for missing) and the distinct values of ``raw``."""
    if isinstance(raw.dtype, pd.CategoricalDtype):
        return raw.cat.codes.to_numpy(), raw.cat.categories
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    return codes, pd.Index(uniques)


def _per_value(raw: pd.Series, func: Callable[[object], tuple[object, bool]], missing: object):
    """Apply ``func`` to each distinct value; return per-row results and a per-row bad mask."""
    codes, uniques = _codes(raw)
    results = [func(u) for u in uniques]
    values = np.array([r[0] for r in results] + [missing], dtype=object)
    bad = np.array([r[1] for r in results] + [False], dtype=bool)
    return values[codes], bad[codes]


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
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = np.array(raw.to_numpy(dtype="float64", na_value=np.nan), copy=True)
        invalid = np.zeros(len(raw), dtype=bool)
    else:
        def parse(value: object) -> tuple[float, bool]:
            score = parse_label(value, labels)
            return (np.nan, True) if score is None else (score, False)

        numbers, invalid = _per_value(raw, parse, np.nan)
        numbers = numbers.astype("float64")
    fractional = np.isfinite(numbers) & (numbers != np.round(numbers))
    invalid = invalid | fractional | np.isinf(numbers)
    out_of_range = ~invalid & ((numbers < low) | (numbers > high))
    numbers[invalid | out_of_range] = np.nan
    dtype = "Int8" if -128 <= low and high <= 127 else "Int16"
    return pd.Series(pd.array(numbers, dtype="Float64").astype(dtype), index=raw.index), invalid, out_of_range


def to_category(raw: pd.Series, recode: Mapping[str, str] | None = None):
    """Strip white space, apply ``recode`` (normalized label -> value); empty becomes missing."""
    recode = recode or {}

    def clean(value: object) -> tuple[object, bool]:
        text = str(value).strip()
        return (recode.get(normalize_label(text), text) or None, False)

    codes, uniques = _codes(raw)
    cleaned = [clean(u)[0] for u in uniques]
    new_codes, new_uniques = pd.factorize(pd.Series(cleaned, dtype="object"), use_na_sentinel=True)
    lookup = np.append(new_codes, -1).astype("int32")
    categories = pd.Index(new_uniques, dtype="str")
    values = pd.Categorical.from_codes(lookup[codes], categories=categories)
    return pd.Series(values, index=raw.index)


def to_stage(raw: pd.Series, recode: Mapping[str, str] | None = None):
    """Map stage names (English or Spanish, or ``recode``) to the five journey stages.

    Returns the ordered categorical column and a mask of unknown stage names.
    """
    recode = recode or {}

    def stage(value: object) -> tuple[object, bool]:
        key = normalize_label(value)
        if key == "":
            return None, False
        key = normalize_label(recode.get(key, key))
        found = STAGE_SYNONYMS.get(key)
        return found, found is None

    values, bad = _per_value(raw, stage, None)
    dtype = pd.CategoricalDtype(JOURNEY_STAGES, ordered=True)
    return pd.Series(pd.Categorical(values, dtype=dtype), index=raw.index), bad


def to_flag(raw: pd.Series):
    """Yes/no answers (English, Spanish, 1/0, true/false) to a nullable boolean column."""
    def flag(value: object) -> tuple[object, bool]:
        key = normalize_label(value)
        if key in ("", "nan"):
            return None, False
        if key in _TRUE or key == "1.0":
            return True, False
        if key in _FALSE or key == "0.0":
            return False, False
        return None, True

    values, bad = _per_value(raw, flag, None)
    return pd.Series(pd.array(values, dtype="boolean"), index=raw.index), bad


def to_id(raw: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Identifiers as text with outer spaces removed; returns the column and a missing mask."""
    if pd.api.types.is_float_dtype(raw.dtype):
        whole = raw.dropna()
        if (whole == np.round(whole)).all():
            raw = raw.astype("Int64")
    text = raw if raw.dtype == "str" else raw.astype("str").where(raw.notna())
    padded = text.str.contains(r"^\s|\s$", regex=True, na=False)
    if padded.any():
        text = text.str.strip()
    text = text.where(text != "")
    return text, text.isna().to_numpy()


def to_text(raw: pd.Series) -> pd.Series:
    """Free text (comments) kept as written; empty or blank becomes missing."""
    text = raw if raw.dtype == "str" else raw.astype("str").where(raw.notna())
    return text.where(text.str.strip() != "")


def to_number(raw: pd.Series, decimal: str = "."):
    """Numbers written with a ``decimal`` point or comma, thousands separators and currency signs.

    With ``decimal=","`` a value such as ``1.234,5`` is 1234.5; with ``"."``, ``1,234.5``
    is. A thousands separator is only removed where it matches the pattern of groups of three
    digits, so ``4,5`` in a decimal-point file is rejected rather than read as 45.

    Returns the ``float64`` column and a mask of values that are not finite numbers.
    """
    if pd.api.types.is_numeric_dtype(raw.dtype) and not pd.api.types.is_bool_dtype(raw.dtype):
        numbers = raw.astype("float64")
        return numbers, ~np.isfinite(numbers.to_numpy()) & raw.notna().to_numpy()
    text = raw.astype("str") if raw.dtype != "str" else raw
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
    values = numbers.to_numpy()
    bad = bad | (np.isfinite(values) & ((values < 1) | (values != np.round(values))))
    values = np.where(bad, np.nan, values)
    return pd.Series(pd.array(values, dtype="Float64").astype("Int32"), index=raw.index), bad


# ----------------------------------------------------------------------------------- dates
_DMY = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%y")
_MDY = ("%m/%d/%Y", "%m-%d-%Y", "%m/%d/%y")
_TIMES = ("", " %H:%M", " %H:%M:%S", " %I:%M %p", " %I:%M:%S %p")
_FAMILIES = {
    "iso": ("ISO8601",),
    "ymd": tuple(f"%Y/%m/%d{t}" for t in _TIMES),
    "dmy": tuple(d + t for d in _DMY for t in _TIMES),
    "mdy": tuple(d + t for d in _MDY for t in _TIMES),
}


def _parse(values: pd.Series, fmt: str) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = pd.to_datetime(values, format=fmt, errors="coerce", utc=True)
    return parsed.dt.tz_convert(None)


def _family_scores(sample: pd.Series) -> dict[str, int]:
    """How many sample values each family parses with any of its formats."""
    scores = {}
    for name, formats in _FAMILIES.items():
        parsed = np.zeros(len(sample), dtype=bool)
        for fmt in formats:
            parsed |= _parse(sample, fmt).notna().to_numpy()
        scores[name] = int(parsed.sum())
    return scores


def _choose_family(sample: pd.Series, dayfirst: bool | None, column: str) -> str:
    scores = _family_scores(sample)
    best = max(scores.values())
    tied = [name for name, score in scores.items() if score == best]
    if {"dmy", "mdy"} <= set(tied) and best > 0:
        if dayfirst is None:
            warnings.warn(
                f"Dates in {column!r} (e.g. {sample.iloc[0]!r}) could be day-first or "
                "month-first and every value fits both; reading them day-first. Set "
                "`dates: {dayfirst: false}` in the mapping if they are month-first.",
                AmbiguousDateWarning,
                stacklevel=4,
            )
            dayfirst = True
        return "dmy" if dayfirst else "mdy"
    if dayfirst is not None and scores["dmy"] == scores["mdy"] == best:
        return "dmy" if dayfirst else "mdy"
    return tied[0]


def to_datetime(raw: pd.Series, *, dayfirst: bool | None = None, fmt: str | None = None,
                column: str = "date"):
    """Parse dates and times; time zones are converted to UTC and dropped.

    The format is ``fmt`` when given; otherwise the family of formats (ISO 8601, year/month/day,
    day/month/year, month/day/year, each with or without a time) that parses most of a sample
    of the values. Day-first and month-first are told apart by values whose first or second
    field exceeds 12; when no value decides it, ``dayfirst`` decides, and without it day-first
    is assumed with an :class:`~cxkit.errors.AmbiguousDateWarning`.

    Returns the ``datetime64`` column and a mask of present values that could not be parsed.
    """
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        values = raw.dt.tz_convert(None) if raw.dt.tz is not None else raw
        return values, np.zeros(len(raw), dtype=bool)
    text = raw.astype("str").where(raw.notna()) if raw.dtype != "str" else raw
    text = text.str.strip()
    if fmt is None:
        sample = text.dropna().drop_duplicates().head(2000)
        formats = _FAMILIES[_choose_family(sample, dayfirst, column)] if len(sample) else ("ISO8601",)
    else:
        formats = (fmt,)
    values = _parse(text, formats[0])
    for other in formats[1:]:
        missing = values.isna() & text.notna()
        if not missing.any():
            break
        values = values.where(~missing, _parse(text.where(missing), other))
    bad = (text.notna() & (text != "") & values.isna()).to_numpy()
    return values, bad
