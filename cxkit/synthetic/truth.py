"""Check analyses of the sample client against the truths planted in it.

The synthetic responses (:mod:`cxkit.synthetic.responses`) make NPS from touchpoint ratings with
known weights (:data:`cxkit.synthetic.vocab.TOUCHPOINTS`), so a key-driver analysis of
``data/samples/responses.csv`` has a right answer; notebook 02 states the check for the analyst.
The sample's two A/B tests (:data:`cxkit.synthetic.experiments.EXPERIMENTS`) have planted
effects, one true and one null; notebook 04 states whether the register's evaluation finds the
first and not the second.
"""

from __future__ import annotations

import pandas as pd

from cxkit.drivers import DriverAnalysis
from cxkit.i18n import hypothesis_text
from cxkit.sections import Skipped
from cxkit.sections.hypotheses import Bets
from cxkit.synthetic.experiments import EXPERIMENTS
from cxkit.synthetic.vocab import TOUCHPOINTS

__all__ = ["CLEAR_WEIGHT", "planted_effects", "planted_order"]

#: Planted weights at least this large stand out from the noise of 12,000 responses; smaller
#: ones (the website's 0.05) cannot be told from zero, and are left out of the check.
CLEAR_WEIGHT = 0.1

_TEXT = {
    "en": {
        "other": "These are not the sample client's touchpoints: there is no planted truth to "
        "compare with.",
        "yes": "Planted order recovered: {order} come out in the order of their planted weights, "
        "above every touchpoint with no planted weight.",
        "no": "Planted order NOT recovered: planted {planted}; estimated {found}.",
        "no_tests": "None of these hypotheses tests one of the sample client's planted "
        "experiments: there is no planted truth to compare with.",
        "effect_found": "{id} ({experiment}, planted effect {effect} NPS points): {status}, as "
        "planted.",
        "null_found": "{id} ({experiment}, no planted effect): {status}, as planted.",
        "effect_missed": "{id} ({experiment}, planted effect {effect} NPS points): {status}, "
        "NOT as planted.",
        "null_missed": "{id} ({experiment}, no planted effect): {status}, NOT as planted.",
    },
    "es": {
        "other": "Estos no son los puntos de contacto del cliente de ejemplo: no hay una verdad "
        "plantada con la que comparar.",
        "yes": "Orden plantado recuperado: {order} salen en el orden de sus pesos plantados, por "
        "encima de todos los puntos de contacto sin peso plantado.",
        "no": "Orden plantado NO recuperado: plantado {planted}; estimado {found}.",
        "no_tests": "Ninguna de estas hipótesis prueba uno de los experimentos plantados en el "
        "cliente de ejemplo: no hay una verdad plantada con la que comparar.",
        "effect_found": "{id} ({experiment}, efecto plantado de {effect} puntos de NPS): "
        "{status}, como se plantó.",
        "null_found": "{id} ({experiment}, sin efecto plantado): {status}, como se plantó.",
        "effect_missed": "{id} ({experiment}, efecto plantado de {effect} puntos de NPS): "
        "{status}, NO como se plantó.",
        "null_missed": "{id} ({experiment}, sin efecto plantado): {status}, NO como se plantó.",
    },
}


def planted_order(model: DriverAnalysis | Skipped, *, lang: str = "en") -> str:
    """Say whether ``model`` ranks the clearly weighted touchpoints in their planted order.

    The check passes when the touchpoints with a planted weight of at least
    :data:`CLEAR_WEIGHT` are ranked in the order of their weights, and every one of them above
    every touchpoint whose planted weight is zero.
    """
    t = _TEXT[lang]
    planted = {f"rating_{tp.key}": tp.weight for tp in TOUCHPOINTS}
    if isinstance(model, Skipped) or set(model.drivers_) != set(planted):
        return t["other"]
    rank = model.importance_.set_index("driver")["rank"]
    clear = sorted((d for d, w in planted.items() if w >= CLEAR_WEIGHT), key=lambda d: -planted[d])
    zero = [d for d, w in planted.items() if w == 0]
    found = sorted(clear, key=lambda d: rank[d])
    if found == clear and rank[clear].max() < rank[zero].min():
        return t["yes"].format(order=", ".join(_short(d) for d in clear))
    estimated = list(pd.Series(rank).sort_values().index)
    return t["no"].format(
        planted=", ".join(_short(d) for d in clear), found=", ".join(_short(d) for d in estimated)
    )


def _short(column: str) -> str:
    return column.removeprefix("rating_")


def planted_effects(result: Bets | Skipped, *, lang: str = "en") -> str:
    """Say whether the register's evaluation finds the planted true effect and not the null.

    ``result`` is what :func:`cxkit.sections.hypotheses.analyse` returns. A hypothesis tests
    a planted experiment when its ``groups.filter`` keeps one experiment of
    :data:`~cxkit.synthetic.experiments.EXPERIMENTS` (column ``experiment``). It is found as
    planted when a true effect comes out ``validated`` and a null anything but ``validated``,
    each read at its planned sample size (not a peek).
    """
    t, words = _TEXT[lang], hypothesis_text(lang)
    planted = {exp.name: exp.nps_effect for exp in EXPERIMENTS}
    if isinstance(result, Skipped) or result.register is None:
        return t["no_tests"]
    rows = {r["id"]: r for r in result.evaluation.to_dict("records")}
    lines = []
    for h in result.register.hypotheses:
        experiment = (h.groups.get("filter") or {}).get("experiment")
        if experiment not in planted or h.id not in rows or h.metric != "nps":
            continue
        row, effect = rows[h.id], planted[experiment]
        validated = row["suggested_status"] == "validated" and not row["peeking"]
        found = validated if effect else not validated
        key = ("effect" if effect else "null") + ("_found" if found else "_missed")
        status = words.get(f"status_{row['suggested_status']}", row["suggested_status"])
        lines.append(
            t[key].format(id=h.id, experiment=experiment, effect=f"+{effect:g}", status=status)
        )
    return " ".join(lines) if lines else t["no_tests"]
