"""The period history: next periods, re-runs, granularity."""

import pandas as pd
from _configs import SAMPLES, quiet, write_config

from cxkit.reports.config import load_config
from cxkit.reports.history import History
from cxkit.reports.run import run_report


# ----------------------------------------------------------------------------------- history
def test_history_next_period_and_idempotent_rerun(tmp_path):
    september = run_report(load_config(write_config(tmp_path, period="2026-09")), progress=quiet)
    assert september.ok
    responses = pd.read_csv(SAMPLES / "responses.csv")
    only_october = tmp_path / "october.csv"
    responses[responses["responded_at"].str.startswith("2026-10")].to_csv(only_october, index=False)
    config = write_config(tmp_path, data={"responses": str(only_october)})
    run_report(load_config(config), progress=quiet)
    history = History(tmp_path / "history.sqlite")
    stored = history.load("Test client")
    counts = stored.groupby("period").size().to_dict()
    index = (tmp_path / "out" / "test-client" / "2026-10" / "index.html").read_text(
        encoding="utf-8"
    )
    # the export holds October only: September came from the history
    assert "vs September 2026" in index
    run_report(load_config(config), progress=quiet)  # the same period again
    assert history.load("Test client").groupby("period").size().to_dict() == counts


def test_a_month_is_never_compared_with_a_quarter(tmp_path):
    history = History(tmp_path / "history.sqlite")
    row = pd.DataFrame(
        {
            "metric": ["nps"],
            "group": ["all"],
            "value": [10.0],
            "se": [2.0],
            "n": [100],
            "small_sample": [False],
        }
    )
    history.store("c", pd.Period("2026Q4", "Q"), row, "run-1")
    assert history.previous("c", pd.Period("2026-11", "M"))[0] is None
    history.store("c", pd.Period("2026-10", "M"), row, "run-2")
    assert history.previous("c", pd.Period("2026-11", "M"))[0] == "2026-10"
