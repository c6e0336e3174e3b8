"""Normalize comments once: lowercase, strip accents, split into word tokens.

All text (comments and taxonomy phrases alike) goes through :func:`tokenize`, so the two are
always compared in the same form. The work is done by Arrow's string kernels on the whole
column at once (no Python loop per comment):

1. lowercase, Unicode NFKD decomposition, then combining marks removed ("Facturación" ->
   "facturacion", "ÑO" -> "no");
2. an apostrophe between letters is dropped ("don't" -> "dont", "wasn’t" -> "wasnt");
3. sentence ends (``.``, ``!``, ``?``, ``;``, a line break) become a break token, so a
   phrase never matches across two sentences while commas, dashes and quotes are ignored;
4. the text is split on every character that is neither a letter nor a digit.

A comment left with no word token (empty, blank, emoji or punctuation only) has no text to tag.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["BREAK", "Tokens", "normalize_words", "tokenize"]

#: The token that stands for a sentence end (never a word, never matches a phrase).
BREAK = "\x01"


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
        The distinct tokens (normalized, not stemmed).
    words : ndarray of int64
        Word tokens (sentence breaks excluded) per text.
    """

    ids: np.ndarray
    row: np.ndarray
    vocabulary: list[str]
    words: np.ndarray


def _normalized(texts: pa.Array) -> pa.Array:
    """Return ``texts`` lowercased, decomposed, without accents, apostrophes and sentence ends."""
    out = pc.utf8_normalize(pc.utf8_lower(texts), form="NFKD")
    out = pc.replace_substring_regex(out, pattern=r"\p{Mn}+", replacement="")
    out = pc.replace_substring_regex(out, pattern=r"(\pL)['’](\pL)", replacement=r"\1\2")
    return pc.replace_substring_regex(out, pattern=r"[.!?;\r\n]+", replacement=f" {BREAK} ")


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
    split = pc.split_pattern_regex(_normalized(array), pattern=rf"[^\pL\pN{BREAK}]+")
    flat = pc.list_flatten(split)
    row = pc.list_parent_indices(split).to_numpy().astype(np.int64)
    keep = pc.not_equal(flat, "").to_numpy(zero_copy_only=False)
    encoded = pc.dictionary_encode(flat.filter(pa.array(keep)))
    ids = encoded.indices.to_numpy().astype(np.int32)
    vocabulary = encoded.dictionary.to_pylist()
    row = row[keep]
    is_word = np.array([token != BREAK for token in vocabulary], dtype=bool)
    words = np.bincount(row[is_word[ids]], minlength=len(array)) if ids.size else None
    if words is None:
        words = np.zeros(len(array), dtype=np.int64)
    return Tokens(ids=ids, row=row, vocabulary=vocabulary, words=words)


def normalize_words(text: str) -> list[str]:
    """Return the word tokens of one text, normalized as :func:`tokenize` does."""
    tokens = tokenize([text])
    return [tokens.vocabulary[i] for i in tokens.ids if tokens.vocabulary[i] != BREAK]
