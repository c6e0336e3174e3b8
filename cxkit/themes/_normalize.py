"""Normalize comments once: lowercase, strip accents, split into word tokens.

All text (comments and taxonomy phrases alike) goes through :func:`tokenize`, so the two are
always compared in the same form:

1. sentence ends (``.``, ``!``, ``?``, ``;``, a line break) become a break token, so a phrase
   never matches across two sentences, while commas, dashes, quotes and emoji only separate
   words;
2. the text is split into tokens of letters, digits, combining marks and apostrophes;
3. each *distinct* token is lowercased, decomposed (Unicode NFKD) and stripped of combining
   marks and apostrophes ("Facturación" -> "facturacion", "don't" -> "dont").

Steps 1 and 2 are Arrow string kernels over the whole column, run on chunks in parallel
threads; step 3 runs once per distinct token (a vocabulary is small next to the text), so no
Python code runs per comment. A comment with no word token (empty, blank, emoji or
punctuation only) has no text to tag.
"""

from __future__ import annotations

import os
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["BREAK", "Tokens", "normalize_token", "normalize_words", "tokenize"]

#: The token that stands for a sentence end (never a word, never matches a phrase).
BREAK = "\x01"
_CHUNK = 200_000


@dataclass(frozen=True)
class Tokens:
    """The word tokens of a column of texts, flattened.

    Attributes
    ----------
    ids : ndarray of int32
        Each token's index in :attr:`vocabulary`, text after text, in order.
    row : ndarray of int64
        Each token's text (its position in the column, from 0).
    vocabulary : list of str
        The distinct tokens (normalized, not stemmed); :data:`BREAK` is a sentence end.
    words : ndarray of int64
        Word tokens (sentence breaks excluded) per text.
    """

    ids: np.ndarray
    row: np.ndarray
    vocabulary: list[str]
    words: np.ndarray


def normalize_token(token: str) -> str:
    """Return one raw token lowercased, without accents, apostrophes or other marks."""
    if token == BREAK:
        return token
    lowered = token.lower()
    if lowered.isascii() and lowered.isalnum():
        return lowered
    return "".join(c for c in unicodedata.normalize("NFKD", lowered) if c.isalnum())


def _raw_tokens(texts: pa.Array) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Return one chunk's raw token codes, their rows and the raw (unnormalized) vocabulary."""
    out = pc.replace_substring_regex(texts, pattern=r"[.!?;\r\n]+", replacement=f" {BREAK} ")
    out = pc.replace_substring_regex(out, pattern=rf"[^\pL\pN\pM'’{BREAK} ]+", replacement=" ")
    split = pc.split_pattern(out, pattern=" ")
    flat = pc.list_flatten(split)
    row = pc.list_parent_indices(split).to_numpy()
    encoded = pc.dictionary_encode(flat)
    return encoded.indices.to_numpy(), row, encoded.dictionary.to_pylist()


def tokenize(texts: list[str | None] | pa.Array) -> Tokens:
    """Normalize and split ``texts`` (missing values have no token).

    Parameters
    ----------
    texts : list of str or pyarrow string array
        The texts, in row order.

    Returns
    -------
    Tokens
        Flattened token ids, their rows, the vocabulary and the word count of each text.
    """
    array = texts if isinstance(texts, pa.Array) else pa.array(texts, type=pa.large_string())
    starts = range(0, len(array), _CHUNK)
    with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, 4)) as pool:
        chunks = list(pool.map(lambda s: _raw_tokens(array.slice(s, _CHUNK)), starts))
    index: dict[str, int] = {}
    ids, rows = [], []
    for start, (codes, row, raw) in zip(starts, chunks, strict=True):
        normal = [normalize_token(t) for t in raw]
        remap = np.array([index.setdefault(t, len(index)) if t else -1 for t in normal], np.int32)
        mapped = remap[codes] if len(remap) else np.zeros(0, dtype=np.int32)
        row = row.astype(np.int64) + start
        if not all(normal):  # tokens that normalize to nothing (a lone apostrophe or mark)
            keep = mapped >= 0
            mapped, row = mapped[keep], row[keep]
        ids.append(mapped)
        rows.append(row)
    vocabulary = list(index)
    ids_all = np.concatenate(ids) if ids else np.zeros(0, dtype=np.int32)
    row_all = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    is_word = np.array([t != BREAK for t in vocabulary], dtype=bool)
    words = np.bincount(row_all[is_word[ids_all]], minlength=len(array))
    return Tokens(ids=ids_all, row=row_all, vocabulary=vocabulary, words=words)


def normalize_words(text: str) -> list[str]:
    """Return the word tokens of one text, normalized as :func:`tokenize` does."""
    tokens = tokenize([text])
    return [tokens.vocabulary[i] for i in tokens.ids if tokens.vocabulary[i] != BREAK]
