"""A deliberately messy Qualtrics-style export that shows off validation.

Three header rows (column ids, question texts, ImportId JSON), answers as text labels in English
and Spanish, metadata columns cxkit ignores, and a handful of planted bad rows, listed in
:data:`PLANTED` with the reason cxkit must give for each.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import numpy as np
import pandas as pd

from cxkit.synthetic.vocab import TOUCHPOINTS

RATED = ("onboarding", "delivery", "billing", "support")
NPS_WORDS = {
    "en": ("Not at all likely", "Extremely likely"),
    "es": ("Nada probable", "Muy probable"),
}
CSAT_LABELS = {
    "en": (
        "Very dissatisfied",
        "Dissatisfied",
        "Neither satisfied nor dissatisfied",
        "Satisfied",
        "Very satisfied",
    ),
    "es": (
        "Muy insatisfecho",
        "Insatisfecho",
        "Ni satisfecho ni insatisfecho",
        "Satisfecho",
        "Muy satisfecho",
    ),
}
CES_LABELS = {
    "en": (
        "Strongly disagree",
        "Disagree",
        "Somewhat disagree",
        "Neither agree nor disagree",
        "Somewhat agree",
        "Agree",
        "Strongly agree",
    ),
    "es": (
        "Totalmente en desacuerdo",
        "En desacuerdo",
        "Algo en desacuerdo",
        "Ni de acuerdo ni en desacuerdo",
        "Algo de acuerdo",
        "De acuerdo",
        "Totalmente de acuerdo",
    ),
}

#: The planted bad rows: (index among the data rows, what is wrong, reason cxkit must give).
PLANTED = (
    (10, "NPS of 12 typed by hand", "score_out_of_range"),
    (25, "CSAT answer 'Bastante bien' is no known label", "invalid_score"),
    (40, "RecordedDate 'pending'", "invalid_date"),
    (55, "ResponseId repeats the one on the row before", "duplicate_id"),
    (70, "every field empty", "blank_row"),
    (85, "partial response: no NPS, CSAT, CES or rating", "no_score"),
)

_META = (
    "StartDate",
    "EndDate",
    "Status",
    "IPAddress",
    "Progress",
    "Duration (in seconds)",
    "Finished",
    "RecordedDate",
    "ResponseId",
    "ExternalReference",
    "DistributionChannel",
    "UserLanguage",
)
QUESTIONS = {
    "Q1": "How likely are you to recommend Acme to a friend or colleague?",
    "Q2": "Overall, how satisfied are you with Acme?",
    "Q3": "Acme made it easy for me to handle my issue.",
    **{
        f"Q4_{i}": f"How satisfied are you with each of the following? - {tp}"
        for i, tp in enumerate(("Onboarding", "Delivery", "Billing", "Support"), 1)
    },
    "Q5": "Is there anything else you would like to tell us?",
    "Segment": "Segment",
    "Touchpoint": "Touchpoint",
}

MAPPING = """\
# Mapping for responses_messy_qualtrics.csv (read automatically: it sits beside the file).
# Qualtrics names questions Q1, Q2...; say which canonical column each one is.
# ResponseId, RecordedDate and ExternalReference are recognised without a mapping.
columns:
  Q1: nps
  Q2: csat
  Q3: ces
  Q5: comment
  Segment: segment
  Touchpoint: touchpoint
ratings:          # touchpoint ratings, for driver analysis
  Q4_1: onboarding
  Q4_2: delivery
  Q4_3: billing
  Q4_4: support
scales:
  csat: 5
  ces: 7
  ratings: 5
"""


def _label(value: float, labels: tuple[str, ...], low: int) -> str:
    return "" if np.isnan(value) else labels[int(value) - low]


def _nps_text(value: float, lang: str) -> str:
    if np.isnan(value):
        return ""
    words = NPS_WORDS[lang]
    v = int(value)
    return f"{v} - {words[0]}" if v == 0 else f"{v} - {words[1]}" if v == 10 else str(v)


def messy_rows(responses: pd.DataFrame, rng: np.random.Generator) -> list[list[str]]:
    """Turn the first responses into Qualtrics-style text rows, then plant the bad ones."""
    rows = []
    for i, r in enumerate(
        responses.itertuples(index=False)
    ):  # each has an NPS (caller picks)  # a few hundred rows only
        lang = "es" if rng.random() < 0.4 else "en"
        at = pd.Timestamp(r.responded_at)
        start = at - pd.Timedelta(seconds=int(rng.integers(60, 900)))
        fl = lambda v: np.nan if pd.isna(v) else float(v)  # noqa: E731
        rows.append(
            [
                start.strftime("%Y-%m-%d %H:%M:%S"),
                at.strftime("%Y-%m-%d %H:%M:%S"),
                "IP Address",
                f"10.0.{i // 250}.{i % 250}",
                "100",
                str(int((at - start).total_seconds())),
                "True",
                at.strftime("%Y-%m-%d %H:%M:%S"),
                f"R_{i:05d}x{rng.integers(1e6, 1e7)}",
                r.customer_id,
                "email",
                lang.upper(),
                _nps_text(fl(r.nps), lang),
                _label(fl(r.csat), CSAT_LABELS[lang], 1),
                "N/A" if rng.random() < 0.03 else _label(fl(r.ces), CES_LABELS[lang], 1),
                *[_label(fl(getattr(r, f"rating_{k}")), CSAT_LABELS[lang], 1) for k in RATED],
                r.comment if isinstance(r.comment, str) else "",
                str(r.segment),
                str(r.touchpoint),
            ]
        )
    _plant(rows)
    return rows


def _plant(rows: list[list[str]]) -> None:
    q1, q2 = 12, 13
    rows[10][q1] = "12"
    rows[25][q2] = "Bastante bien"
    rows[40][7] = "pending"
    rows[55][8] = rows[54][8]
    rows[70] = [""] * len(rows[70])
    partial = rows[85]
    partial[4], partial[6] = "10", "False"
    for col in range(q1, q1 + 3 + len(RATED)):
        partial[col] = ""


def write_messy(responses: pd.DataFrame, folder: Path, rng: np.random.Generator) -> list[Path]:
    """Write the messy export (UTF-8 with BOM, as Qualtrics does) and its mapping file."""
    header = [*_META, *QUESTIONS]
    texts = [QUESTIONS.get(c, c) for c in header]
    imports = [
        json.dumps({"ImportId": c if c not in QUESTIONS else f"QID{j}"})
        for j, c in enumerate(header)
    ]
    path = folder / "responses_messy_qualtrics.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerows([header, texts, imports, *messy_rows(responses, rng)])
    mapping = folder / "responses_messy_qualtrics.mapping.yml"
    mapping.write_text(MAPPING, encoding="utf-8")
    return [path, mapping]


__all__ = ["PLANTED", "TOUCHPOINTS", "write_messy"]
