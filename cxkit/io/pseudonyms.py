"""Keyed pseudonyms for e-mail addresses used as customer ids.

Helpdesk exports often identify the customer only by the requester's e-mail address. cxkit may
use it to tell customers apart, but never keeps it in clear: when any ``customer_id`` value of a
file is an e-mail address, every value of that column becomes

    ``"h:" + first 16 hex digits of HMAC-SHA256(key, lower-cased, trimmed value)``

(64 bits: a collision among a million customers has a probability of about 3e-8). The same
address gives the same pseudonym in every file read with the same key, so tickets, responses and
customers still join. The key is the environment variable ``CXKIT_ID_KEY``; set it per client
and keep it out of the data folder. Without it a built-in key is used, which hides addresses from
a casual reader of a report but not from someone who has cxkit and a list of candidate addresses.
The read's summary says which key was used.
"""

from __future__ import annotations

import hashlib
import hmac
import os

import numpy as np
import pandas as pd
import pyarrow.compute as pc

__all__ = ["KEY_VARIABLE", "looks_like_email", "pseudonymize"]

#: Environment variable holding the pseudonym key.
KEY_VARIABLE = "CXKIT_ID_KEY"
_DEFAULT_KEY = b"cxkit-default-pseudonym-key-v1"
_EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def looks_like_email(ids: pd.Series) -> bool:
    """Whether any value of ``ids`` (canonical text ids) is an e-mail address."""
    from cxkit.io.coerce import arrow_text  # coerce sits above this module

    text = arrow_text(ids)
    if not pc.any(pc.match_substring(text, "@")).as_py():  # a plain search first: far faster
        return False
    hits = pc.match_substring_regex(pc.utf8_trim_whitespace(text), _EMAIL)
    return bool(pc.any(hits).as_py())


def pseudonymize(ids: pd.Series) -> tuple[pd.Series, str]:
    """Replace every id by its keyed pseudonym; return the column and how the key was chosen.

    Each distinct value is hashed once (``pandas.factorize``), so the cost grows with the
    number of customers, not of rows.
    """
    key_text = os.environ.get(KEY_VARIABLE)
    key = key_text.encode("utf-8") if key_text else _DEFAULT_KEY
    codes, uniques = pd.factorize(ids, use_na_sentinel=True)
    digests = [_digest(key, u) for u in uniques]
    table = np.array([*digests, None], dtype=object)
    values = pd.Series(table[codes], index=ids.index, dtype=ids.dtype)
    how = f"key from ${KEY_VARIABLE}" if key_text else f"built-in key; set ${KEY_VARIABLE}"
    return values, how


def _digest(key: bytes, value: object) -> str:
    text = str(value).strip().lower().encode("utf-8")
    return "h:" + hmac.new(key, text, hashlib.sha256).hexdigest()[:16]
