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
import threading
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


class _Vocabulary:
    """The normalized vocabulary shared by the chunks' threads (``index`` under a lock)."""

    def __init__(self) -> None:
        self.index: dict[str, int] = {}
        self.lock = threading.Lock()

    def ids(self, raw: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Return raw tokens' ids after normalization (-1: nothing left) and which are words."""
        normal = [normalize_token(t) for t in raw]
        with self.lock:
            ids = [self.index.setdefault(t, len(self.index)) if t else -1 for t in normal]
        return np.array(ids, dtype=np.int32), np.array(
            [bool(t) and t != BREAK for t in normal], dtype=bool
        )


def _chunk(texts: pa.Array, start: int, vocabulary: _Vocabulary):
    """Return one chunk's token ids, their rows (counted from ``start``) and words per text."""
    out = pc.replace_substring_regex(texts, pattern=r"[.!?;\r\n]+", replacement=f" {BREAK} ")
    out = pc.replace_substring_regex(out, pattern=rf"[^\pL\pN\pM'’{BREAK} ]+", replacement=" ")
    split = pc.split_pattern(out, pattern=" ")
    row = pc.list_parent_indices(split).to_numpy()
    encoded = pc.dictionary_encode(pc.list_flatten(split))
    remap, is_word = vocabulary.ids(encoded.dictionary.to_pylist())
    codes = encoded.indices.to_numpy()
    ids = remap[codes] if len(remap) else np.zeros(0, dtype=np.int32)
    words = np.bincount(row[is_word[codes]], minlength=len(texts)) if len(remap) else None
    row = np.add(row, start, dtype=np.int64)
    if (remap < 0).any():  # tokens that normalize to nothing (a lone apostrophe or mark)
        keep = ids >= 0
        ids, row = ids[keep], row[keep]
    return ids, row, np.zeros(len(texts), dtype=np.int64) if words is None else words


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
    vocabulary = _Vocabulary()
    with ThreadPoolExecutor(max_workers=min(os.cpu_count() or 1, 4)) as pool:
        chunks = list(
            pool.map(
                lambda s: _chunk(array.slice(s, _CHUNK), s, vocabulary),
                range(0, len(array), _CHUNK),
            )
        )
    if not chunks:
        empty = np.zeros(0, dtype=np.int64)
        return Tokens(np.zeros(0, dtype=np.int32), empty, [], empty)
    ids, rows, words = (np.concatenate(part) for part in zip(*chunks, strict=True))
    return Tokens(ids=ids, row=rows, vocabulary=list(vocabulary.index), words=words)


def normalize_words(text: str) -> list[str]:
    """Return the word tokens of one text, normalized as :func:`tokenize` does."""
    tokens = tokenize([text])
    return [tokens.vocabulary[i] for i in tokens.ids if tokens.vocabulary[i] != BREAK]
