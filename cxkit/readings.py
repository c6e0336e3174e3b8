"""Plain-language readings of a change, in English and Spanish.

One sentence per comparison: what moved, by how much, and whether that is more than noise
(judged on the multiple-comparison-adjusted p-value). Numbers follow the language's
convention (``4.1`` in English, ``4,1`` in Spanish).
"""

from __future__ import annotations

import numpy as np

from cxkit._checks import check_option

__all__ = ["reading"]

_TEXT = {
    "en": {
        "up": "rose",
        "down": "fell",
        "flat": "did not change",
        "above": "above the rest",
        "below": "below the rest",
        "points": "points",
        "unit": "",
        "period": "{metric} {verb} {size} {unit} vs {ref}",
        "group": "{metric} for {group} is {size} {unit} {side}",
        "group_same": "{metric} for {group} is level with the rest",
        "flat_period": "{metric} did not change vs {ref}",
        "real": "a real change (adjusted p {p})",
        "real_group": "a real difference (adjusted p {p})",
        "noise": "within noise",
        "small": "too few responses to judge (n = {n})",
    },
    "es": {
        "up": "subió",
        "down": "bajó",
        "flat": "no cambió",
        "above": "por encima del resto",
        "below": "por debajo del resto",
        "points": "puntos",
        "unit": "",
        "period": "{metric} {verb} {size} {unit} respecto a {ref}",
        "group": "{metric} de {group} está {size} {unit} {side}",
        "group_same": "{metric} de {group} está igual que el resto",
        "flat_period": "{metric} no cambió respecto a {ref}",
        "real": "cambio real (p ajustado {p})",
        "real_group": "diferencia real (p ajustado {p})",
        "noise": "dentro del ruido",
        "small": "muestra insuficiente para concluir (n = {n})",
    },
}
_NAMES = {
    "en": {"nps": "NPS", "csat": "CSAT", "ces": "CES"},
    "es": {"nps": "El NPS", "csat": "El CSAT", "ces": "El CES"},
}


def number(value: float, lang: str, digits: int = 1) -> str:
    """Format ``value`` with the language's decimal separator."""
    text = f"{value:,.{digits}f}"
    if lang == "es":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return text


def _p(p: float, lang: str) -> str:
    return "< " + number(0.001, lang, 3) if p < 0.001 else "= " + number(p, lang, 3)


def reading(
    *,
    metric: str,
    difference: float,
    p_adjusted: float,
    significant: bool,
    small: bool,
    n: int,
    lang: str = "en",
    reference: str | None = None,
    group: str | None = None,
) -> str:
    """One sentence on a comparison: a period against ``reference``, or ``group`` vs the rest.

    Examples
    --------
    >>> reading(metric="nps", difference=-4.1, p_adjusted=0.4, significant=False, small=False,
    ...         n=300, reference="2025-01")
    'NPS fell 4.1 points vs 2025-01; within noise.'
    """
    check_option("lang", lang, _TEXT)
    t = _TEXT[lang]
    name = _NAMES[lang][metric]
    digits = 2 if metric == "ces" else 1
    size = number(abs(difference), lang, digits)
    unit = "" if metric == "ces" else t["points"]
    flat = size == number(0.0, lang, digits)
    if group is None:
        verb = t["up"] if difference > 0 else t["down"]
        head = (t["flat_period"] if flat else t["period"]).format(
            metric=name, verb=verb, size=size, unit=unit, ref=reference
        )
    else:
        side = t["above"] if difference > 0 else t["below"]
        head = (t["group_same"] if flat else t["group"]).format(
            metric=name, group=group, size=size, unit=unit, side=side
        )
    if small:
        tail = t["small"].format(n=n)
    elif significant:
        tail = t["real" if group is None else "real_group"].format(p=_p(p_adjusted, lang))
    else:
        tail = t["noise"]
    return " ".join(f"{head}; {tail}.".split())


def significant_mask(p_adjusted: np.ndarray, alpha: float) -> np.ndarray:
    """Mark adjusted p-values below ``alpha`` (missing p-values are not significant)."""
    return np.nan_to_num(p_adjusted, nan=1.0) < alpha
