"""Candidate themes in the comments no theme matched: TF-IDF and non-negative matrix factorization.

The unmatched comments become TF-IDF vectors of words and two-word phrases (accents and case
ignored; English stop words from scikit-learn plus cxkit's Spanish list); NMF factorizes that
matrix into ``k`` parts, X ≈ WH (Lee & Seung, 1999, "Learning the parts of objects by
non-negative matrix factorization", Nature 401: 788-791). Each row of H is a candidate theme,
read through its heaviest terms; each comment goes to the candidate with its largest weight in W.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cxkit.themes._language import NEGATIONS, SPANISH_STOP_WORDS
from cxkit.themes._quotes import quote

__all__ = ["DISCOVERED_COLUMNS", "discover_themes"]

#: The columns of :attr:`ThemeResult.discovered`.
DISCOVERED_COLUMNS = (
    "candidate",
    "top_terms",
    "term_langs",
    "comments",
    "share",
    "lang",
    "examples",
)
#: At most this many comments are used to fit (a random sample, seeded by ``random_state``).
FIT_SAMPLE = 20_000
_TERMS = 8
_EXAMPLES = 3


def _empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype=object) for c in DISCOVERED_COLUMNS})


def discover_themes(
    texts: np.ndarray, languages: np.ndarray, k: int, *, random_state: int | None = None
) -> pd.DataFrame:
    """Return up to ``k`` candidate themes found in ``texts``.

    Parameters
    ----------
    texts : ndarray of str
        The comments no theme matched.
    languages : ndarray of str
        Their languages ("en", "es" or ""), for the examples' redaction masks.
    k : int
        How many candidates.
    random_state : int, optional
        Seed of the fitting sample (when there are more than 20,000 comments) and of NMF.

    Returns
    -------
    DataFrame
        :data:`DISCOVERED_COLUMNS`:

        - ``candidate``: 1, 2, ..., the candidate with most comments first;
        - ``top_terms``: its eight heaviest terms (words and two-word phrases), heaviest first;
        - ``term_langs``: each top term's language, the one whose comments use it more often
          ("" on a tie);
        - ``comments``: how many of the fitted comments it holds (all unmatched ones, up to
          20,000), and ``share``, the percent of the fitted comments;
        - ``lang``: the language most of its comments are in ("en", "es", or "" on a tie);
        - ``examples``: up to three of its comments, the most typical first, redacted.

        Empty when there are too few comments or no word repeats.
    """
    from sklearn.decomposition import NMF
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    if k < 1 or len(texts) < 2:
        return _empty()
    fit = _sample(len(texts), random_state)
    stop = sorted(ENGLISH_STOP_WORDS | SPANISH_STOP_WORDS | NEGATIONS)
    vectorizer = TfidfVectorizer(
        strip_accents="unicode",
        lowercase=True,
        stop_words=stop,
        token_pattern=r"(?u)\b[^\W\d_]{2,}\b",
        ngram_range=(1, 2),
        min_df=2,
        max_df=0.5,
        sublinear_tf=True,
        dtype=np.float64,
    )
    try:
        matrix = vectorizer.fit_transform(texts[fit])
    except ValueError:  # no term left after stop words and min_df
        return _empty()
    k = min(k, *matrix.shape)
    model = NMF(n_components=k, init="nndsvda", random_state=random_state, max_iter=2000)
    weights = model.fit_transform(matrix)
    term_langs = _term_languages(matrix, languages[fit])
    return _candidates(
        weights, model.components_, vectorizer, term_langs, texts[fit], languages[fit]
    )


def _term_languages(matrix, languages: np.ndarray) -> np.ndarray:
    """Return each term's language: "en" or "es", whichever's comments hold it more often."""
    present = (matrix > 0).astype(np.int64)
    en = np.asarray(present[languages == "en"].sum(axis=0)).ravel()
    es = np.asarray(present[languages == "es"].sum(axis=0)).ravel()
    return np.where(en > es, "en", np.where(es > en, "es", ""))


def _sample(n: int, random_state: int | None) -> np.ndarray:
    """Return the positions used to fit: all, or a sorted random sample of :data:`FIT_SAMPLE`."""
    if n <= FIT_SAMPLE:
        return np.arange(n)
    return np.sort(np.random.default_rng(random_state).choice(n, FIT_SAMPLE, replace=False))


def _candidates(weights, components, vectorizer, term_langs, texts, languages) -> pd.DataFrame:
    """Assemble one row per candidate, largest first (ties in candidate order)."""
    terms = vectorizer.get_feature_names_out()
    owner = np.where(weights.max(axis=1) > 0, weights.argmax(axis=1), -1)
    rows = []
    for j, row in enumerate(components):
        top = [i for i in np.lexsort((terms, -row))[:_TERMS] if row[i] > 0]
        members = np.flatnonzero(owner == j)
        typical = members[np.lexsort((members, -weights[members, j]))][:_EXAMPLES]
        rows.append(
            (
                [str(terms[i]) for i in top],
                [str(term_langs[i]) for i in top],
                len(members),
                100 * len(members) / len(texts),
                _majority(languages[members]),
                [quote(texts[i], languages[i]) for i in typical],
            )
        )
    rows.sort(key=lambda r: -r[2])  # most comments first
    out = pd.DataFrame(rows, columns=list(DISCOVERED_COLUMNS[1:]))
    out.insert(0, "candidate", np.arange(1, len(out) + 1))
    return out


def _majority(languages: np.ndarray) -> str:
    """Return the most common of "en" and "es" among ``languages`` ("" on a tie or none)."""
    en, es = int((languages == "en").sum()), int((languages == "es").sum())
    return "en" if en > es else "es" if es > en else ""
