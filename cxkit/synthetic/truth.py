"""Check a driver analysis of the sample client against the driver weights planted in it.

The synthetic responses (:mod:`cxkit.synthetic.responses`) make NPS from touchpoint ratings with
known weights (:data:`cxkit.synthetic.vocab.TOUCHPOINTS`), so a key-driver analysis of
``data/samples/responses.csv`` has a right answer. Notebook 02 states the check for the analyst.
"""

from __future__ import annotations

import pandas as pd

from cxkit.drivers import DriverAnalysis
from cxkit.sections import Skipped
from cxkit.synthetic.vocab import TOUCHPOINTS

__all__ = ["CLEAR_WEIGHT", "planted_order"]

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
    },
    "es": {
        "other": "Estos no son los puntos de contacto del cliente de ejemplo: no hay una verdad "
        "plantada con la que comparar.",
        "yes": "Orden plantado recuperado: {order} salen en el orden de sus pesos plantados, por "
        "encima de todos los puntos de contacto sin peso plantado.",
        "no": "Orden plantado NO recuperado: plantado {planted}; estimado {found}.",
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
