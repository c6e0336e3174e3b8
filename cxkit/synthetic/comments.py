"""Comments with planted themes: what a theme tagger and theme discovery must find.

The responses are made first (:func:`cxkit.synthetic.responses.make_responses`, whose own
template comments keep their draws so that no other column moves); this module then REPLACES
the ``comment`` column, from a random stream of its own, ``default_rng([seed, STREAM])``. Every
other column stays as it was, and the planted hostile comments keep their rows and texts.

A response carries a comment with probability :data:`COMMENT_SHARE`, written in the main
language with probability 1 - :data:`OTHER_LANGUAGE_SHARE`. A few comments have no words
(:data:`NO_WORDS`: emoji only, white space only, empty). Every other comment mentions each theme
of :data:`THEME_RATES` independently with the planted probability for its NPS group
(detractors, NPS 0-6, or everyone else, including responses without an NPS answer), one
sentence of :data:`~cxkit.synthetic.vocab.THEME_SENTENCES` per theme mentioned; sentences
without a theme fill the comment out, and some comments carry a negated mention ("I was never
charged twice") that does not count. The sentences are shuffled, and some comments are written
in lower case, without accents, or end with an emoji.

:func:`planted_mentions` finds the planted theme sentences again in a column of comments: a
plain regex over the known sentences, with case and accents folded.
"""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

from cxkit.synthetic.vocab import (
    BLANK_COMMENTS,
    EMOJI_COMMENTS,
    FILLER_SENTENCES,
    HOSTILE_COMMENTS,
    NEGATED_SENTENCES,
    THEME_SENTENCES,
    TRAILING_EMOJI,
)

__all__ = [
    "COMMENT_SHARE",
    "MISSING_THEME",
    "STREAM",
    "THEME_RATES",
    "add_comments",
    "planted_mentions",
    "theme_truth",
    "worded",
]

#: Second key of the comments' random stream: ``np.random.default_rng([seed, STREAM])``.
STREAM = 98
COMMENT_SHARE = 0.30
OTHER_LANGUAGE_SHARE = 0.20
#: Planted P(a comment mentions the theme): (among detractors' comments, among the others').
THEME_RATES = {
    "billing": (0.25, 0.03),  # tied to detractors
    "app": (0.12, 0.12),  # neutral: the same rate in every NPS group
    "delivery": (0.10, 0.07),
    "support": (0.12, 0.06),
    "price": (0.08, 0.05),
    # missing from the sample taxonomy, for discovery to find: about 12% of comments, because at
    # 8% TF-IDF + NMF (scikit-learn, 5 or 8 topics) on the comments no listed theme matches did
    # not reliably rank it above the generic sentences ("Great service overall!")
    "packaging": (0.15, 0.12),
}
#: The planted theme that data/samples/themes.yml leaves out.
MISSING_THEME = "packaging"
#: Share of comments with no words: emoji only, white space only, empty.
NO_WORDS = {"emoji": 0.02, "blank": 0.01, "empty": 0.005}
NEGATED_SHARE = 0.05  # worded comments that add a negated mention
EXTRA_FILLER = 0.35  # worded comments with a theme that add a sentence without one
LOWER_CASE, NO_ACCENTS, ENDS_WITH_EMOJI = 0.15, 0.25, 0.08


def strip_accents(text: str) -> str:
    """``text`` without accents ("aplicación" -> "aplicacion")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def fold(text: str) -> str:
    """Lower case without accents: how :func:`planted_mentions` compares text."""
    return strip_accents(text).casefold()


def _groups(nps: pd.Series) -> np.ndarray:
    score = nps.to_numpy(dtype="float64", na_value=np.nan)
    return np.where(score <= 6, "detractor", np.where(score >= 9, "promoter", "passive"))


def _pick(pools: dict[str, tuple[str, ...]], key: np.ndarray, rng: np.random.Generator):
    """One entry of ``pools[key[i]]`` for every row (drawn for every pool, kept where it fits)."""
    out = np.full(len(key), "", dtype=object)
    for name, texts in pools.items():
        chosen = np.asarray(texts, dtype=object)[rng.integers(0, len(texts), len(key))]
        out[key == name] = chosen[key == name]
    return out


def _sentences(group: np.ndarray, language: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Draw a rows x parts table of sentences ("" where absent), shuffled within rows."""
    detractor = group == "detractor"
    parts, themed = [], np.zeros(len(group), dtype=bool)
    for theme, (rate_detractor, rate_other) in THEME_RATES.items():
        mentions = rng.random(len(group)) < np.where(detractor, rate_detractor, rate_other)
        parts.append(np.where(mentions, _pick(THEME_SENTENCES[theme], language, rng), ""))
        themed |= mentions
    filler_key = np.char.add(language.astype(str), group.astype(str))
    pools = {
        f"{lang}{g}": texts for lang, by in FILLER_SENTENCES.items() for g, texts in by.items()
    }
    extra = themed & (rng.random(len(group)) < EXTRA_FILLER)
    parts.append(np.where(~themed | extra, _pick(pools, filler_key, rng), ""))
    negated = rng.random(len(group)) < NEGATED_SHARE
    parts.append(np.where(negated, _pick(NEGATED_SENTENCES, language, rng), ""))
    return rng.permuted(np.column_stack(parts), axis=1)


def _styled(text: list[str], group: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Lower case, accents dropped and a trailing emoji, each for some comments."""
    n = len(text)
    lower, plain, emoji = (rng.random(n) < p for p in (LOWER_CASE, NO_ACCENTS, ENDS_WITH_EMOJI))
    ending = _pick(TRAILING_EMOJI, group, rng)
    out = np.empty(n, dtype=object)
    for i, t in enumerate(text):  # string work, one comment at a time
        t = t.lower() if lower[i] else t
        t = strip_accents(t) if plain[i] else t
        out[i] = f"{t} {ending[i]}" if emoji[i] else t
    return out


def add_comments(
    responses: pd.DataFrame, rng: np.random.Generator, lang: str = "en"
) -> pd.DataFrame:
    """Return ``responses`` with a new ``comment`` column with planted themes (see module)."""
    n = len(responses)
    group = _groups(responses["nps"])
    other = "es" if lang == "en" else "en"
    language = np.where(rng.random(n) < OTHER_LANGUAGE_SHARE, other, lang)
    commented = rng.random(n) < COMMENT_SHARE
    kind = rng.choice(4, size=n, p=[1 - sum(NO_WORDS.values()), *NO_WORDS.values()])
    table = _sentences(group, language, rng)
    worded = np.flatnonzero(commented & (kind == 0))
    joined = [" ".join(p for p in row if p) for row in table[worded]]
    comment = np.full(n, None, dtype=object)
    comment[worded] = _styled(joined, group[worded], rng)
    emoji = _pick({"all": EMOJI_COMMENTS}, np.full(n, "all"), rng)
    blank = _pick({"all": BLANK_COMMENTS}, np.full(n, "all"), rng)
    comment[commented & (kind == 1)] = emoji[commented & (kind == 1)]
    comment[commented & (kind == 2)] = blank[commented & (kind == 2)]
    comment[commented & (kind == 3)] = ""
    hostile = responses["comment"].isin(HOSTILE_COMMENTS).to_numpy()
    comment[hostile] = responses["comment"].to_numpy()[hostile]
    out = responses.copy()
    out["comment"] = comment
    return out


def planted_mentions(comments: pd.Series) -> pd.DataFrame:
    """Which planted themes each comment mentions: one boolean column per theme.

    A comment mentions a theme when it contains one of the theme's planted sentences, compared
    in lower case without accents (:func:`fold`). Negated mentions are other sentences, so they
    do not count. Missing comments mention nothing.
    """
    folded = comments.fillna("").astype(str).map(fold)
    out = {}
    for theme, by_language in THEME_SENTENCES.items():
        sentences = [fold(s) for texts in by_language.values() for s in texts]
        pattern = "|".join(re.escape(s) for s in sentences)
        out[theme] = folded.str.contains(pattern, regex=True).to_numpy()
    return pd.DataFrame(out, index=comments.index)


def worded(comments: pd.Series) -> np.ndarray:
    """Mark the comments with at least one letter (not emoji, white space or empty)."""
    return comments.fillna("").astype(str).str.contains(r"[^\W\d_]", regex=True).to_numpy()


def theme_truth(responses: pd.DataFrame) -> pd.DataFrame:
    """Planted and measured rates of every planted theme in ``responses``, one row per theme.

    Columns: ``theme``, ``planted_detractor`` and ``planted_other`` (:data:`THEME_RATES`, %),
    ``mentions`` (worded comments with a planted sentence of the theme), ``rate_detractor`` and
    ``rate_other`` (% of worded comments of detractors, NPS 0-6, and of everyone else),
    ``detractor_share_with`` and ``detractor_share_without`` (% detractors among worded
    comments with an NPS answer that mention the theme, and that do not).
    """
    has_words = worded(responses["comment"])
    found = planted_mentions(responses["comment"])[has_words]
    nps = responses["nps"].to_numpy(dtype="float64", na_value=np.nan)[has_words]
    detractor, answered = nps <= 6, ~np.isnan(nps)
    rows = []
    for theme, (p_detractor, p_other) in THEME_RATES.items():
        hit = found[theme].to_numpy()
        rows.append(
            {
                "theme": theme,
                "planted_detractor": 100 * p_detractor,
                "planted_other": 100 * p_other,
                "mentions": int(hit.sum()),
                "rate_detractor": 100 * hit[detractor].mean(),
                "rate_other": 100 * hit[~detractor].mean(),
                "detractor_share_with": 100 * detractor[answered & hit].mean(),
                "detractor_share_without": 100 * detractor[answered & ~hit].mean(),
            }
        )
    return pd.DataFrame(rows)
