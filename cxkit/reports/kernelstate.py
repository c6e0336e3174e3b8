"""Inside a warm kernel: remember the state a fresh kernel starts with, and go back to it.

A report runs a client's notebooks one after another on one kernel (:mod:`cxkit.reports.warm`).
Before the first notebook the runner calls :func:`remember`; before each later one,
``%reset -f`` (the user namespace: every variable, import name and output) and then
:func:`restore`, which puts back what a notebook can change outside its namespace:

- the working directory, environment variables and ``sys.path``;
- warning filters;
- matplotlib's settings (``rcParams``, as they were after pyplot's first import, with the
  inline backend set up) and its open figures (closed);
- pandas options (back to their defaults) and NumPy's floating-point error handling and print
  options;
- the global random generators of ``random`` and ``numpy.random``, seeded afresh, as in a new
  process.

What stays is what makes the kernel warm: imported modules. Modules keep their own globals, so
anything a module caches must be a pure function of its arguments (cxkit's caches are: subset
index tables). Another client never shares the kernel: each report starts its own.
"""

from __future__ import annotations

import os
import random
import sys
import warnings

__all__ = ["remember", "restore"]

_SAVED: dict[str, object] = {}


def remember() -> None:
    """Import pandas and pyplot (what every notebook imports first) and save the state.

    Importing them here, before any notebook runs, is what a fresh kernel's first notebook
    would do anyway; it also fixes matplotlib's settings to the ones after the inline backend's
    set-up, which :func:`restore` goes back to.
    """
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd  # noqa: F401  (imported now: every notebook needs it)

    _SAVED.update(
        cwd=os.getcwd(),
        environ=dict(os.environ),
        path=list(sys.path),
        filters=list(warnings.filters),
        rc=plt.rcParams.copy(),
        seterr=np.geterr(),
        printoptions=np.get_printoptions(),
    )


def restore() -> None:
    """Go back to the state :func:`remember` saved (see the module notes for what that is)."""
    import matplotlib.pyplot as plt
    import numpy as np
    import pandas as pd

    if not _SAVED:  # a kernel started for this notebook: nothing to go back to
        remember()
        return
    os.chdir(_SAVED["cwd"])
    os.environ.clear()
    os.environ.update(_SAVED["environ"])
    sys.path[:] = _SAVED["path"]
    warnings.resetwarnings()  # empties the filters and tells the warnings machinery so
    warnings.filters.extend(_SAVED["filters"])
    plt.close("all")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # deprecated settings warn when set, even to defaults
        plt.rcParams.update(_SAVED["rc"])
        pd.reset_option("all")
    np.seterr(**_SAVED["seterr"])
    np.set_printoptions(**_SAVED["printoptions"])
    random.seed()
    np.random.seed()
