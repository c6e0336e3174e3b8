"""A client whose exports are folders or globs: validated once, read a window at a time.

The reference is the same report (or ``read_client``) on the sample's single files: a folder
of the same rows split by month must give the same figures. The window's bounds are written
out from WINDOW (the report period and the 23 before it).
"""

from __future__ import annotations

import json

import pandas as pd
import pytest
from _configs import SAMPLES, quiet, write_config

import cxkit as cx
from cxkit.reports.config import NOTEBOOK_DIR, ConfigError, load_config, scan_folder
from cxkit.reports.run import run_report


def split_by_month(source, folder, column, extra=None):
    """Write ``source``'s rows into one CSV per month of ``column`` (text kept as it is)."""
    raw = pd.read_csv(source, dtype=str, keep_default_na=False)
    if extra is not None:
        raw = pd.concat([extra, raw], ignore_index=True)
    folder.mkdir(parents=True)
    for month, rows in raw.groupby(raw[column].str[:7]):
        rows.to_csv(folder / f"export-{month}.csv", index=False)
    return raw


@pytest.fixture(scope="module")
def exports(tmp_path_factory):
    """The sample responses by month, plus a month before the window; tickets by month."""
    folder = tmp_path_factory.mktemp("exports")
    old = pd.read_csv(SAMPLES / "responses.csv", dtype=str, keep_default_na=False).head(40)
    old["response_id"] = "OLD-" + old["response_id"]
    old["responded_at"] = "2023-05-15 10:00:00"  # 41 months before 2026-10: outside the window
    raw = split_by_month(SAMPLES / "responses.csv", folder / "responses", "responded_at", old)
    raw.to_csv(folder / "all-responses.csv", index=False)  # the same rows as one file
    split_by_month(SAMPLES / "tickets.csv", folder / "tickets", "opened_at")
    return folder


def test_read_client_reads_the_windows_rows_of_a_folder_and_a_glob(exports):
    whole = cx.read_client(
        responses=SAMPLES / "responses.csv", tickets=SAMPLES / "tickets.csv", weight="weight"
    )
    split = cx.read_client(
        responses=exports / "responses",
        tickets=str(exports / "tickets" / "export-*.csv"),
        weight="weight",
    )
    assert split.period == whole.period == pd.Period("2026-10", "M")
    first = split.period - 23  # 2024-11: the sample's first month, the old one not
    assert split.responses["responded_at"].min() >= first.start_time
    assert not split.responses["response_id"].str.startswith("OLD-").any()
    pd.testing.assert_frame_equal(
        split.responses.reset_index(drop=True), whole.responses.reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(split.tickets, whole.tickets)
    read = split.reads["responses"]
    assert read.rows_accepted == len(whole.responses) + 40  # the whole export's counts
    assert read.rows_read == read.rows_accepted + read.rows_quarantined
    assert any("25 files, 12,040 rows" in note and "November 2024" in note for note in split.notes)


def test_a_shorter_window_reads_fewer_periods_and_says_so(exports):
    whole = cx.read_client(responses=SAMPLES / "responses.csv")
    split = cx.read_client(responses=exports / "responses", window=2, lang="es")
    months = split.responses["responded_at"].dt.to_period("M").unique()
    assert sorted(months.astype(str)) == ["2026-09", "2026-10"]  # the period and the one before
    in_window = whole.responses["responded_at"] >= pd.Timestamp("2026-09-01")
    assert len(split.responses) == int(in_window.sum())
    assert any("de septiembre de 2026 a octubre de 2026, 2 periodos" in n for n in split.notes)
    with pytest.raises(cx.CxkitError, match="`window` must be a whole number"):
        cx.read_client(responses=exports / "responses", window=0)


def test_spanish_notes_say_which_rows_are_read(exports):
    split = cx.read_client(responses=exports / "responses", lang="es")
    assert any("25 archivos, 12.040 filas" in n and "noviembre de 2024" in n for n in split.notes)


def test_config_takes_a_folder_or_a_glob_and_names_one_that_holds_no_export(tmp_path, exports):
    config = load_config(
        write_config(
            tmp_path / "ok",
            data={
                "responses": str(exports / "responses"),
                "tickets": str(exports / "tickets" / "*.csv"),
            },
        )
    )
    assert config.data["responses"]["path"] == exports / "responses"
    (tmp_path / "empty").mkdir()
    bad = write_config(
        tmp_path / "bad",
        data={"responses": str(tmp_path / "empty"), "tickets": str(tmp_path / "none" / "*.csv")},
    )
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    text = str(caught.value)
    assert "`data.responses.path`: folder" in text and "has no export files" in text
    assert "`data.tickets.path`: no export file" in text and "matches" in text
    with pytest.raises(ConfigError, match="`window` must be a whole number of periods"):
        load_config(write_config(tmp_path / "window", window=0))


@pytest.mark.slow
def test_a_report_on_folders_equals_the_report_on_files_and_validates_once(tmp_path, exports):
    # 12 periods: the headline's trend (the period and the 11 before) and no more
    common = {"notebooks_dir": str(NOTEBOOK_DIR), "period": "2026-10", "window": 12}
    common["notebooks"] = ["01_baseline_metrics"]
    data = {"customers": str(SAMPLES / "customers.csv"), "orders": str(SAMPLES / "orders.csv")}
    files = write_config(
        tmp_path / "files",
        **common,
        data={**data, "responses": str(SAMPLES / "responses.csv"),
              "tickets": str(SAMPLES / "tickets.csv")},
    )  # fmt: skip
    folders = write_config(
        tmp_path / "folders",
        **common,
        data={**data, "responses": str(exports / "responses"),
              "tickets": str(exports / "tickets" / "*.csv")},
    )  # fmt: skip
    expected = run_report(load_config(files), progress=quiet)
    config = load_config(folders)
    told: list[str] = []
    got = run_report(config, progress=told.append)
    assert any("validating the responses export: 25 file(s)" in line for line in told)
    assert expected.ok and got.ok
    pd.testing.assert_frame_equal(
        pd.read_csv(got.folder / "metrics.csv"), pd.read_csv(expected.folder / "metrics.csv")
    )
    page = (got.folder / "01_baseline_metrics.html").read_text(encoding="utf-8")
    assert "from November 2025 to October 2026, 12 periods" in page  # the window reached it
    validated = scan_folder(config, "responses") / "manifest.json"
    first = json.loads(validated.read_text())["validation"]
    told.clear()
    run_report(config, progress=told.append)  # nothing changed: the validated rows are reused
    assert json.loads(validated.read_text())["validation"] == first
    assert not any("validating" in line for line in told)
    inputs = json.loads((got.folder / "manifest.json").read_text())["inputs"]
    assert inputs["responses.path"]["validation"] == first
    assert len(inputs["responses.path"]["files"]) == 25
    changed = exports / "responses" / "export-2026-10.csv"
    changed.write_text(changed.read_text(encoding="utf-8"), encoding="utf-8")  # touched
    run_report(config, progress=quiet)
    assert json.loads(validated.read_text())["validation"] != first


def test_a_url_export_is_validated_into_the_clients_scan_folder(tmp_path, exports):
    fsspec = pytest.importorskip("fsspec")
    from cxkit.reports.config import check_data
    from cxkit.reports.run import _data_path

    bucket = f"memory://cxkit-config-{tmp_path.name}/responses"
    for path in sorted((exports / "responses").glob("*.csv")):
        with fsspec.open(f"{bucket}/{path.name}", "wb") as out:
            out.write(path.read_bytes())
    config = load_config(write_config(tmp_path / "url", data={"responses": bucket}))
    assert config.data["responses"]["path"] == bucket  # kept as written, not made a local path
    check_data(config)  # validates into the scan folder (and checks the period is covered)
    folder = scan_folder(config, "responses")
    assert _data_path(config, "responses") == str(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    assert len(manifest["files"]) == 25 and all(
        f["path"].startswith("memory://") for f in manifest["files"]
    )
    fsspec.filesystem("memory").rm(bucket.split("://")[1].split("/")[0], recursive=True)


def test_a_short_window_leaves_hypotheses_and_root_causes_as_on_the_file(exports):
    """Their evidence spans the history: read from the scan up to as_of, not the window."""
    from cxkit.sections import hypotheses, rootcause

    whole = cx.read_client(responses=exports / "all-responses.csv")
    split = cx.read_client(responses=exports / "responses", window=2)
    assert split.responses["responded_at"].min() >= pd.Timestamp("2026-09-01")  # windowed
    bets = [hypotheses.analyse(SAMPLES / "hypotheses.yml", d) for d in (whole, split)]
    pd.testing.assert_frame_equal(bets[1].evaluation, bets[0].evaluation)
    assert len(bets[0].evaluation) and bets[0].problems == bets[1].problems
    logs = [rootcause.analyse(SAMPLES / "five_whys.yml", d) for d in (whole, split)]
    pd.testing.assert_frame_equal(logs[1].verified, logs[0].verified)
    assert len(logs[0].verified)


def test_a_validation_by_another_cxkit_version_is_not_reused(tmp_path, exports):
    from cxkit.scan._prepared import prepared_scan

    out = tmp_path / "scans"
    first = prepared_scan(exports / "tickets", "tickets", out).summary["validation"]
    assert prepared_scan(exports / "tickets", "tickets", out).summary["validation"] == first
    manifest = json.loads((out / "manifest.json").read_text())
    manifest["cxkit"] = "0.0.1"  # as if an older cxkit's readers had validated the rows
    (out / "manifest.json").write_text(json.dumps(manifest))
    assert prepared_scan(exports / "tickets", "tickets", out).summary["validation"] != first
