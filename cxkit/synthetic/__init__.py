"""Deterministic synthetic client data with planted truths: ``cxkit sample-data``.

:func:`generate` builds the four canonical tables and the detractor follow-up log in memory
(vectorised, so millions of rows take seconds); :func:`write_sample_data` writes them as CSV
with the messy Qualtrics-style export, its mapping and a README that states every planted truth
with the values measured on the files written.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from cxkit._checks import check_option
from cxkit.synthetic import comments, experiments, followups
from cxkit.synthetic.customers import make_customers, make_orders
from cxkit.synthetic.messy import write_messy
from cxkit.synthetic.readme import readme_text
from cxkit.synthetic.responses import make_responses
from cxkit.synthetic.tickets import CSAT_STREAM, add_ticket_csat, make_tickets

__all__ = ["SampleClient", "generate", "write_csv", "write_sample_data"]

MESSY_ROWS = 300


@dataclass
class SampleClient:
    """The synthetic client's tables and the settings that made them."""

    responses: pd.DataFrame
    tickets: pd.DataFrame
    customers: pd.DataFrame
    orders: pd.DataFrame
    follow_ups: pd.DataFrame
    rows: int
    seed: int
    lang: str


def generate(rows: int = 12_000, *, seed: int = 7, lang: str = "en") -> SampleClient:
    """Generate ``rows`` survey responses and the client's tickets, customers and orders.

    Tickets are half as many as responses and customers a quarter; orders follow from each
    customer's tenure. The same ``seed`` gives the same tables. What was planted later draws
    from streams of its own, ``default_rng([seed, key])``, so it leaves every column made before
    as it was: the responses' A/B tests (:mod:`cxkit.synthetic.experiments`, key 99), their
    comments with planted themes (:mod:`cxkit.synthetic.comments`, 98), the tickets' ratings
    (:func:`cxkit.synthetic.tickets.add_ticket_csat`, 97) and the follow-up log
    (:mod:`cxkit.synthetic.followups`, 96).
    """
    check_option("lang", lang, ("en", "es"))
    rng = np.random.default_rng(seed)
    customers = make_customers(max(rows // 4, 200), rng, lang)
    responses = make_responses(rows, customers, rng, lang)
    responses = experiments.add_experiments(
        responses, np.random.default_rng([seed, experiments.STREAM])
    )
    responses = comments.add_comments(
        responses, np.random.default_rng([seed, comments.STREAM]), lang
    )
    tickets = make_tickets(max(rows // 2, 50), customers, rng, lang)
    return SampleClient(
        responses=responses,
        tickets=add_ticket_csat(tickets, np.random.default_rng([seed, CSAT_STREAM])),
        customers=customers,
        orders=make_orders(customers, rng),
        follow_ups=followups.make_follow_ups(
            responses, np.random.default_rng([seed, followups.STREAM])
        ),
        rows=rows,
        seed=seed,
        lang=lang,
    )


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as UTF-8 CSV fast (Arrow's writer); times as ``YYYY-MM-DD HH:MM:SS``."""
    columns = {}
    for name, col in frame.items():
        if pd.api.types.is_datetime64_any_dtype(col.dtype):
            arr = pa.array(col.astype("datetime64[s]"), from_pandas=True)
            midnight = bool((col.dropna() == col.dropna().dt.normalize()).all())
            columns[name] = arr.cast(pa.date32()) if midnight else arr
        elif isinstance(col.dtype, pd.CategoricalDtype):
            columns[name] = pa.array(col.astype("object"), type=pa.string(), from_pandas=True)
        else:
            columns[name] = pa.array(col, from_pandas=True)
    pacsv.write_csv(pa.table(columns), path, pacsv.WriteOptions(quoting_style="needed"))
    return path


def write_sample_data(
    out: str | Path, *, rows: int = 12_000, seed: int = 7, lang: str = "en"
) -> list[Path]:
    """Write the synthetic client into ``out``; return the paths written."""
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    client = generate(rows, seed=seed, lang=lang)
    written = [
        write_csv(getattr(client, name), folder / f"{name}.csv")
        for name in ("responses", "tickets", "customers", "orders")
    ]
    picked = client.responses[client.responses["nps"].notna()].head(MESSY_ROWS)
    written.append(write_csv(client.follow_ups, folder / "follow_up.csv"))
    written += write_messy(picked, folder, np.random.default_rng(seed + 1))
    readme = folder / "README.md"
    readme.write_text(readme_text(client, len(picked)), encoding="utf-8")
    return [*written, readme]
