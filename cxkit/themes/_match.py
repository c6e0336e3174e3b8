"""Match taxonomy phrases in tokenized comments: stems, prefixes, word boundaries, negation.

A phrase is a sequence of terms, one per word. A plain word is a *stem term*: it matches any
comment token with the same Snowball stem in the phrase's language ("invoices" and "invoice"
both stem to "invoic"; "cobraron" and "cobro" both to "cobr"). A word ending in ``*`` is a
*prefix term*: it matches any token that starts with it, before stemming ("overcharg*" matches
"overcharged", "overcharging"). Tokens are whole words, so "bill" never matches "billion".

The comments are tokenized once (:func:`~cxkit.themes._normalize.tokenize`); each distinct token
is stemmed once per language; each term becomes a boolean mask over the vocabulary; and a phrase
is found with a few vectorised gathers over the positions where one of its language's first
terms occurs, never with a Python loop over comments.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import snowballstemmer

from cxkit.themes._language import LANGUAGES, NEGATIONS
from cxkit.themes._normalize import BREAK, Tokens, tokenize
from cxkit.themes._taxonomy import Taxonomy

__all__ = ["Term", "compile_phrase", "compile_phrases", "stem", "tag_tokens"]

_STEMS: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
_STEMMERS: dict[str, object] = {}


@dataclass(frozen=True)
class Term:
    """One word of a phrase: a stem (``prefix`` false) or a normalized prefix."""

    text: str
    prefix: bool


def stem(words: Sequence[str], lang: str) -> list[str]:
    """Return the Snowball stems of normalized ``words`` in ``lang``, each stemmed once ever."""
    cache = _STEMS[lang]
    new = [w for w in dict.fromkeys(words) if w not in cache]
    if new:
        stemmer = _STEMMERS.setdefault(lang, snowballstemmer.stemmer(LANGUAGES[lang]))
        cache.update(zip(new, stemmer.stemWords(new), strict=True))
    return [cache[w] for w in words]


def compile_phrases(phrases: Sequence[str], lang: str) -> list[tuple[Term, ...]]:
    """Return the terms of each phrase: normalized like comments, stemmed unless ``word*``.

    All the phrases' words are normalized in one :func:`tokenize` call.
    """
    pieces = [piece for phrase in phrases for piece in phrase.split()]
    tokens = tokenize([piece.replace("*", " ") for piece in pieces])
    words: list[list[str]] = [[] for _ in pieces]
    for i, row in zip(tokens.ids, tokens.row, strict=True):
        if tokens.vocabulary[i] != BREAK:
            words[row].append(tokens.vocabulary[i])
    out, at = [], 0
    for phrase in phrases:
        terms: list[Term] = []
        for piece in phrase.split():
            star = re.search(r"[^\W_]\*+\W*$", piece) is not None
            found, stems = words[at], stem(words[at], lang)
            at += 1
            terms += [Term(s, False) for s in stems[:-1]]
            if found:
                terms.append(Term(found[-1], True) if star else Term(stems[-1], False))
        out.append(tuple(terms))
    return out


def compile_phrase(phrase: str, lang: str) -> tuple[Term, ...]:
    """Return the terms of one phrase (see :func:`compile_phrases`)."""
    return compile_phrases([phrase], lang)[0]


def _term_masks(terms: set[Term], vocabulary: list[str], lang: str) -> dict[Term, np.ndarray]:
    """Return, for each term, which vocabulary tokens it matches."""
    stems = np.array(stem(vocabulary, lang), dtype=object)
    words = pa.array(vocabulary, type=pa.large_string())
    masks = {}
    for term in terms:
        if term.prefix:
            masks[term] = pc.starts_with(words, term.text).to_numpy(zero_copy_only=False)
        else:
            masks[term] = stems == term.text
    return masks


def tag_tokens(
    tokens: Tokens, rows: int, taxonomy: Taxonomy, applies: dict[str, np.ndarray]
) -> np.ndarray:
    """Return a ``rows`` x themes boolean matrix: which texts mention which theme.

    Parameters
    ----------
    tokens : Tokens
        The texts' tokens.
    rows : int
        Number of texts.
    taxonomy : Taxonomy
        The themes and their phrases.
    applies : dict
        Language -> boolean array over texts: where that language's phrases are matched.
    """
    out = np.zeros((rows, len(taxonomy.themes)), dtype=bool)
    negated = _negated_before(tokens)
    for lang, where in applies.items():
        columns = [c for c, theme in enumerate(taxonomy.themes) for _ in theme.phrases[lang]]
        texts = [p for theme in taxonomy.themes for p in theme.phrases[lang]]
        compiled = zip(columns, compile_phrases(texts, lang), strict=True)
        phrases = [(c, terms) for c, terms in compiled if terms]
        if not phrases or not where.any():
            continue
        masks = _term_masks({t for _, terms in phrases for t in terms}, tokens.vocabulary, lang)
        first = np.logical_or.reduce([masks[terms[0]] for _, terms in phrases])
        starts = np.flatnonzero(first[tokens.ids])
        starts = _StartIndex(tokens, starts[where[tokens.row[starts]]], first)
        for column, terms in phrases:
            found = _find(tokens, starts.at(terms[0], masks), [masks[t] for t in terms[1:]])
            out[tokens.row[found[~negated(found)]], column] = True
    return out


class _StartIndex:
    """Positions where a phrase may start, sorted by token, to look up one first term at once.

    Sorting the candidate positions by vocabulary id once lets each first term's positions be
    read as a few contiguous slices (``searchsorted``), instead of scanning every candidate
    for every phrase.
    """

    def __init__(self, tokens: Tokens, starts: np.ndarray, first: np.ndarray) -> None:
        # rank the first terms' vocabulary ids densely: small keys sort by radix, fast
        rank = np.cumsum(first) - 1
        self.dtype = np.uint16 if first.sum() <= np.iinfo(np.uint16).max else np.int64
        self.rank = rank.astype(self.dtype)
        keys = self.rank[tokens.ids[starts]]
        order = np.argsort(keys, kind="stable")
        self.keys, self.positions = keys[order], starts[order]
        self.cache: dict[Term, np.ndarray] = {}

    def at(self, term: Term, masks: dict[Term, np.ndarray]) -> np.ndarray:
        """Return the positions whose token matches ``term`` (a first term)."""
        if term not in self.cache:
            keys = self.rank[np.flatnonzero(masks[term])]
            low = np.searchsorted(self.keys, keys, side="left")
            high = np.searchsorted(self.keys, keys, side="right")
            parts = [self.positions[a:b] for a, b in zip(low, high, strict=True) if b > a]
            self.cache[term] = np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
        return self.cache[term]


def _find(tokens: Tokens, found: np.ndarray, masks: list[np.ndarray]) -> np.ndarray:
    """Return the positions among ``found`` where the next terms (as masks) follow in order."""
    for offset, mask in enumerate(masks, start=1):
        at = found + offset
        inside = at < tokens.ids.size
        found, at = found[inside], at[inside]
        same = tokens.row[at] == tokens.row[found]
        found = found[same & mask[tokens.ids[at]]]
    return found


def _negated_before(tokens: Tokens):
    """Return a function telling, for phrase start positions, whether a negation precedes them.

    A negation (:data:`~cxkit.themes._language.NEGATIONS`) counts when it is the word just
    before the phrase, or the one before that with a word (not a sentence end) in between, in
    the same text.
    """
    negation = np.array([w in NEGATIONS for w in tokens.vocabulary], dtype=bool)
    word = np.array([w != BREAK for w in tokens.vocabulary], dtype=bool)

    def negated(found: np.ndarray) -> np.ndarray:
        row = tokens.row[found]
        one, two = np.maximum(found - 1, 0), np.maximum(found - 2, 0)
        near = (found >= 1) & (tokens.row[one] == row)
        far = near & (found >= 2) & (tokens.row[two] == row) & word[tokens.ids[one]]
        return (near & negation[tokens.ids[one]]) | (far & negation[tokens.ids[two]])

    return negated
