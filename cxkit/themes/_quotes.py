"""Short representative comments for a theme, redacted, picked the same way every run."""

from __future__ import annotations

import numpy as np

from cxkit.redact import redact

__all__ = ["QUOTE_CAP", "pick_quotes", "quote"]

#: The longest quote, in characters; a longer comment is cut at a word and ends with "…".
QUOTE_CAP = 160
#: Comments with fewer words come after all longer ones (too short to say much).
_MIN_WORDS = 4


def quote(text: str, lang: str, cap: int = QUOTE_CAP) -> str:
    """Return ``text`` redacted (masks in ``lang``), on one line, at most ``cap`` characters.

    E-mail addresses and phone numbers are masked before the text is cut, so a cut never
    leaves part of an address. The quote stays plain text: it is escaped where it is shown.
    """
    out = " ".join(str(redact(text, lang="es" if lang == "es" else "en")).split())
    if len(out) <= cap:
        return out
    cut = out[: cap - 1].rsplit(" ", 1)[0] if " " in out[: cap - 1] else out[: cap - 1]
    return cut.rstrip(" ,;:.") + "…"


def pick_quotes(
    texts: np.ndarray,
    words: np.ndarray,
    languages: np.ndarray,
    mentions: np.ndarray,
    *,
    k: int = 3,
) -> list[list[str]]:
    """Return up to ``k`` quotes per theme (per column of ``mentions``).

    Parameters
    ----------
    texts, words, languages : ndarray
        Each commented response's text, word count and language ("en", "es" or "").
    mentions : ndarray of bool, shape (responses, themes)
        Which responses mention which theme.
    k : int
        Quotes per theme.

    Notes
    -----
    Deterministic: the comments mentioning the theme are ordered by (fewer than four words,
    length in characters, row order) and taken in that order, skipping a quote already taken
    (compared without case), so the shortest informative comments come first.
    """
    lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
    out = []
    for column in range(mentions.shape[1]):
        rows = np.flatnonzero(mentions[:, column])
        order = rows[np.lexsort((rows, lengths[rows], words[rows] < _MIN_WORDS))]
        chosen: dict[str, str] = {}
        for row in order:
            text = quote(texts[row], languages[row])
            chosen.setdefault(text.casefold(), text)
            if len(chosen) == k:
                break
        out.append(list(chosen.values()))
    return out
