"""Argument checks shared by the package, worded the same way everywhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cxkit.errors import CxkitError


def check_option(name: str, value: Any, allowed: Iterable[Any]) -> Any:
    """Return ``value`` if it is one of ``allowed``; otherwise raise a :class:`CxkitError`.

    Parameters
    ----------
    name : str
        The parameter's name, as the caller wrote it.
    value : Any
        The value that was passed.
    allowed : iterable
        The values that are accepted.

    Returns
    -------
    Any
        ``value`` unchanged.
    """
    allowed = list(allowed)
    if value not in allowed:
        options = ", ".join(repr(a) for a in allowed)
        raise CxkitError(f"`{name}` must be one of {options}; got {value!r}.")
    return value


def is_scan(data: object) -> bool:
    """Tell whether ``data`` is a :class:`cxkit.Scan`, from its class (DuckDB is not imported).

    The metrics take a scan where they take a DataFrame, and dispatch on this test.
    """
    return any(
        c.__name__ == "Scan" and c.__module__ == "cxkit.scan._scan" for c in type(data).__mro__
    )


def is_dask_frame(data: object) -> bool:
    """Tell whether ``data`` is a ``dask.dataframe.DataFrame``, from its type (dask is optional).

    Its type's module is read instead of importing dask, so ``import cxkit`` and the pandas
    path never import it. The metrics that take a dask frame dispatch on this test
    (:mod:`cxkit.scan._dask`).
    """
    kind = type(data)
    return kind.__module__.partition(".")[0] == "dask" and kind.__name__ == "DataFrame"


def dask_frame_of(data: object) -> object | None:
    """Give the dask frame behind ``data``: itself, a dask-engine scan's rows, or ``None``.

    ``None`` for a pandas frame and for a scan on the DuckDB engine
    (:meth:`cxkit.Scan.dask_rows`), which the metrics then count as before.
    """
    if is_dask_frame(data):
        return data
    if is_scan(data):
        return data.dask_rows()
    return None
