"""``cx.scan``: the metrics over exports larger than memory, counted by DuckDB or dask.

A :class:`Scan` names files (one, a folder's, a glob's, local or behind an fsspec URL) and
how to read them. When first used it validates them, one file at a time, through the readers
into canonical Parquet (:mod:`cxkit.scan._validate`; in a temporary folder, or the one given
to :meth:`Scan.validate`). A metric on it asks its engine for sums per group and period and
finishes with the pandas path's estimators: the same numbers.

- Survey metrics (``cx.nps``, ``csat``, ``ces``, ``survey_metrics``, ``compare``): counts of
  each score value per group and day (:mod:`cxkit.scan._duck`, :class:`cxkit.ScoreCounts`).
- ``service_metrics``, ``fcr``, ``reopen_rate`` (:mod:`cxkit.scan._tickets`), ``churn_rate``
  (:mod:`cxkit.scan._customers`) and ``DriverAnalysis.fit`` (:mod:`cxkit.scan._drivers`).

Counting needs memory for the groups, not the rows (exact ticket percentiles: a group's
times); validating, for one file, or a million rows of a larger Parquet file
(:mod:`cxkit.scan._chunks`). With ``engine="dask"`` the same sums come from dask, partition
by partition, by the pandas path's own code (:mod:`cxkit.scan._dask`).
"""

from __future__ import annotations

import json
import shutil
import tempfile
import weakref
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from cxkit._checks import check_option
from cxkit._counts import ScoreCounts
from cxkit._grouping import by_names, group_names, to_period
from cxkit._periods import resolve
from cxkit.errors import CxkitError
from cxkit.io.schemas import SCHEMAS
from cxkit.scan._columns import check_columns, check_dates, unit
from cxkit.scan._duck import connect, day_counts, period_rows
from cxkit.scan._files import export_files, parts
from cxkit.scan._remote import RemoteFile, is_url
from cxkit.scan._validate import MANIFEST, read_dtypes, same_files, validate_files

__all__ = ["Scan", "scan"]

ENGINES = ("duckdb", "dask")


def scan(
    source: str | Path,
    *,
    kind: str = "responses",
    mapping=None,
    timezone: str | None = None,
    engine: str = "duckdb",
) -> Scan:
    """Open exports too large for memory as a lazy dataset that the metrics accept.

    Parameters
    ----------
    source : str or Path
        A CSV, XLSX or Parquet export; a folder of them; or a glob pattern
        (``"exports/2026-*.parquet"``); each may be an fsspec URL (``"s3://bucket/exports/"``,
        with the protocol's package, such as s3fs, installed), whose files are copied locally
        one at a time while validated. Files are read in name order. A folder written by
        :meth:`Scan.validate` (it holds ``manifest.json``) is opened as it is, without
        reading the exports again.
    kind : {"responses", "tickets", "customers", "orders"}
        What the files hold, as for the readers.
    mapping, timezone
        As for :func:`cxkit.read_responses`: each file is read with them.
    engine : {"duckdb", "dask"}
        What counts the validated rows: DuckDB, embedded (the default); or dask
        (``dask.dataframe.read_parquet``, each partition counted by the pandas path's code and
        the counts summed, on dask's current scheduler or ``distributed`` client), an
        optional extra: ``pip install -e ".[dask]"``. Both give the pandas path's numbers;
        dask also takes the frequencies finer than a day. Dask's workers read the validated
        folder: with workers on other machines, :meth:`Scan.validate` into storage they
        share first (the default folder is a temporary one on this machine).

    Returns
    -------
    Scan
        Pass it where a DataFrame of its kind goes: ``cx.nps(s, by="segment", freq="M")``,
        ``cx.service_metrics(tickets_scan, by="channel")``, ``cx.churn_rate(customers_scan)``,
        ``cx.DriverAnalysis(n_boot=0).fit(s, ...)`` (a scan's respondents cannot be
        resampled).

    Notes
    -----
    Nothing is read until first use. Then every file is validated as the readers validate
    it, one file in memory at a time, into canonical Parquet (a temporary folder removed with
    the scan, or the folder given to :meth:`Scan.validate`); ids repeated in a later file are
    quarantined there (``duplicate_id``). A file changed since is validated again. Metrics
    sum those rows with the engine and finish with the pandas path's estimators, so both give
    the same numbers on the same rows. Files need not have the same columns (a column a file
    lacks is empty there).

    Where a scan can differ from reading everything at once: each file (and each row group of
    a Parquet file of more than a million rows) is read on its own, so what the readers infer
    from the values (a time zone from the first offset, a date format, whether ids are
    e-mail addresses to pseudonymize) is inferred per file or chunk: give ``timezone=`` and a
    mapping's ``date_format`` to fix the first two. An id repeated across files or chunks is
    quarantined only where its first occurrence was accepted (the readers, reading a file at
    once, also count quarantined rows), and the repeat is written with canonical column
    names and values.

    Examples
    --------
    >>> import cxkit as cx
    >>> s = cx.scan("data/samples/responses.csv")  # doctest: +SKIP
    >>> cx.nps(s, by="segment", freq="Q")  # doctest: +SKIP
    """
    check_option("kind", kind, SCHEMAS)
    check_option("engine", engine, ENGINES)
    if engine == "dask":
        from cxkit.scan._dask import require_dask

        require_dask()  # now, rather than at the first metric
    if not is_url(source) and (Path(source) / MANIFEST).is_file():
        return Scan.validated(source, kind=kind, engine=engine)
    return Scan(export_files(source), kind=kind, mapping=mapping, timezone=timezone, engine=engine)


class Scan:
    """Export files, validated when first used, whose metrics an engine counts (see :func:`scan`).

    Attributes
    ----------
    files : list of Path
        The files, in the order their rows are numbered.
    kind : str
        What they hold.
    engine : str
        What counts the validated rows: "duckdb" or "dask".
    """

    def __init__(
        self, files: list[Path], *, kind: str, mapping=None, timezone=None, engine: str = "duckdb"
    ) -> None:
        self.files = files
        self.kind = kind
        self.engine = engine
        self.mapping = mapping
        self.timezone = timezone
        self._folder: Path | None = None
        self._manifest: dict[str, object] | None = None
        self._frozen = False  # a validated folder opened as it is

    @classmethod
    def validated(
        cls, folder: str | Path, *, kind: str = "responses", engine: str = "duckdb"
    ) -> Scan:
        """Open a folder that :meth:`validate` wrote, as it is (its files are not read again).

        Raises :class:`CxkitError` when the folder holds another kind of rows.
        """
        folder = Path(folder)
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("kind") != kind:
            raise CxkitError(
                f"{str(folder)!r} holds validated {manifest.get('kind')}, not {kind}; pass "
                f"kind={manifest.get('kind')!r}, or validate the {kind} files into a folder "
                "of their own."
            )
        paths = [entry["path"] for entry in manifest["files"]]
        files = [RemoteFile(p) if is_url(p) else Path(p) for p in paths]
        opened = cls(files, kind=kind, engine=engine)
        opened._folder, opened._manifest, opened._frozen = folder, manifest, True
        return opened

    def validate(self, out: str | Path) -> Scan:
        """Validate every file into the folder ``out`` (canonical Parquet and quarantine).

        ``out/data/`` holds the accepted rows, ``out/quarantine/`` the others with their
        reasons, ``out/manifest.json`` the counts (``rows_read == rows_accepted +
        rows_quarantined``). Later metrics on this scan read ``out``. Returns the scan.
        """
        out = Path(out)
        self._manifest = validate_files(
            self.files, self.kind, out, mapping=self.mapping, timezone=self.timezone
        )
        self._folder = out
        return self

    @property
    def summary(self) -> dict[str, object]:
        """Rows read, accepted and quarantined (in all, by reason and by file)."""
        return self._validated()[1]

    def quarantine(self) -> pd.DataFrame:
        """Give the quarantined rows of every file (``file``, ``row``, ``reason``, ``detail``)."""
        folder = self._validated()[0]
        found = parts(folder, "quarantine")
        return pd.concat([pd.read_parquet(p) for p in found], ignore_index=True)

    def score_counts(
        self,
        *,
        score: str,
        by: str | Sequence[str] | None,
        freq: str | None,
        period: str | pd.Period | None,
        date: str,
        weight: str | None,
        low: int,
        high: int,
        function: str = "survey_counts",
    ) -> ScoreCounts:
        """Count each answered ``score`` value per group (and period) with the scan's engine.

        The arguments are the survey metrics' (:func:`cxkit.survey.survey_counts`).
        """
        freq, period = resolve(freq, period, function=function, stacklevel=5)
        if self.engine == "dask":
            from cxkit.scan._dask import survey_score_counts

            return survey_score_counts(
                self.dask_rows(), {score: (score, low, high)}, by=by, freq=freq, period=period,
                date=date, weight=weight,
            )[score]  # fmt: skip
        folder, manifest = self._validated()
        names = by_names(by)
        dated = freq is not None or period is not None
        self._check(manifest, names, score, weight, date if dated else None, freq)
        data = parts(folder)
        with connect(folder) as con:
            table = day_counts(
                con, data, score=score, by=names, weight=weight, date=date,
                unit=unit(freq) if freq else None, within=period,
            )  # fmt: skip
            if period is not None and table.empty:
                _some_rows_in(period_rows(con, data, date, period), period, date)
        _check_weights(table, weight)
        for name in names:
            table[name] = _as_read(table[name], manifest, name)
        if freq:
            table["period"] = to_period(pd.to_datetime(table["_day"]), freq)
        return ScoreCounts.from_frame(
            table,
            by=group_names(by, freq),
            low=low,
            high=high,
            weight_sum="weight_sum" if weight else None,
            weight_sq_sum="weight_sq_sum" if weight else None,
        )

    def dask_rows(self) -> object | None:
        """Give the validated rows as a dask DataFrame (dtypes as read) on the dask engine.

        ``None`` on the DuckDB engine. Metrics that run on dask take these rows
        (:func:`cxkit.scan._dask.read_validated`).
        """
        if self.engine != "dask":
            return None
        from cxkit.scan._dask import read_validated

        rows = read_validated(*self._validated())
        # the graph keeps this scan, so its temporary folder, alive as long as it is used
        return rows.map_partitions(_kept, _Keeper(self), meta=rows._meta)

    def _validated(self) -> tuple[Path, dict[str, object]]:
        """Give the validated folder and its manifest, validating (again) if a file changed."""
        if self._manifest is not None and (self._frozen or self._current()):
            self._still_ours()
            return self._folder, self._manifest
        if self._folder is None:
            self._folder = Path(tempfile.mkdtemp(prefix="cxkit-scan-"))
            weakref.finalize(self, shutil.rmtree, str(self._folder), True)
        self.validate(self._folder)
        return self._folder, self._manifest

    def _still_ours(self) -> None:
        """Raise if another validation has written the folder since this scan's."""
        on_disk = json.loads((self._folder / MANIFEST).read_text(encoding="utf-8"))
        if on_disk.get("validation") != self._manifest.get("validation"):
            raise CxkitError(
                f"{str(self._folder)!r} was validated again (by another scan) since this scan "
                "validated it. Give each scan a folder of its own, or open the folder again "
                "with cx.scan(folder)."
            )

    def _current(self) -> bool:
        return same_files(self._manifest, self.files)

    def _check(self, manifest, names, score, weight, date, freq) -> None:
        """Name the columns the validated rows lack, a date that is not one, a bad freq."""
        known = manifest["columns"]
        check_columns(known, by=names, score=[score], weight=[weight])
        check_dates(known, manifest["kind"], date)
        if freq is not None:
            unit(freq)

    def __repr__(self) -> str:
        shown = ", ".join(p.name for p in self.files[:3]) + (" …" if len(self.files) > 3 else "")
        engine = "" if self.engine == "duckdb" else f", engine={self.engine!r}"
        return f"<Scan {self.kind}: {len(self.files)} file(s) ({shown}){engine}>"


class _Keeper:
    """Holds a scan in a dask graph, so that its temporary folder outlives the graph's use.

    Sent to another process (a ``distributed`` worker) it is empty: the scan and its folder
    stay with the process that made them.
    """

    def __init__(self, scan: Scan | None) -> None:
        self.scan = scan

    def __reduce__(self) -> tuple[type, tuple[None]]:
        return (_Keeper, (None,))


def _kept(partition: pd.DataFrame, _keeper: _Keeper) -> pd.DataFrame:
    """Give the partition as it is (the keeper only rides along in the graph)."""
    return partition


def _some_rows_in(found: tuple[int, object, object], period: pd.Period, date: str) -> None:
    """Raise as the pandas path does when no row at all is dated in ``period``."""
    inside, first, last = found
    if not inside:
        covered = f"{first:%Y-%m-%d} to {last:%Y-%m-%d}" if first is not None else "no dates at all"
        raise CxkitError(
            f"no rows in period {period} (column {date!r}); the data cover {covered}. "
            "Choose a period inside that range."
        )


def _check_weights(table: pd.DataFrame, weight: str | None) -> None:
    if weight is not None and table["weight_bad"].sum():
        raise CxkitError(
            f"`{weight}`: {int(table['weight_bad'].sum()):,} scored response(s) have a missing "
            "or negative weight. Give every scored response a weight, or leave out `weight=`."
        )


def _as_read(column: pd.Series, manifest: dict[str, object], name: str) -> pd.Series:
    """Give a group column the dtype the readers give it (categories in their order)."""
    return column.astype(read_dtypes(manifest)[name])
