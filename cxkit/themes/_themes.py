"""Tag comments with a client's themes, tie each theme to detractors, find untagged themes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from cxkit._checks import check_option
from cxkit._results import SummaryRepr
from cxkit.themes._discover import discover_themes
from cxkit.themes._errors import ThemeError
from cxkit.themes._language import LANGUAGES, detect_languages
from cxkit.themes._match import tag_tokens
from cxkit.themes._normalize import tokenize
from cxkit.themes._quotes import pick_quotes
from cxkit.themes._stats import ASSOCIATION_COLUMNS, detractor_association
from cxkit.themes._taxonomy import Taxonomy, load_taxonomy

__all__ = ["TABLE_COLUMNS", "ThemeResult", "themes"]

#: The columns of :attr:`ThemeResult.table`, in order.
TABLE_COLUMNS = ("theme", "label", "mentions", "share", *ASSOCIATION_COLUMNS, "quotes")
_DETRACTOR_MAX = 6


@dataclass(frozen=True, repr=False)
class ThemeResult(SummaryRepr):
    """Result of :func:`themes`.

    Attributes
    ----------
    tags : DataFrame
        One boolean column per theme (named by its key), indexed like the input rows; rows
        without text are all False.
    table : DataFrame
        One row per theme, in taxonomy order: ``theme, label, mentions, share,
        detractor_share_with, detractor_share_without, difference, ci_low, ci_high, p_value,
        p_adjusted, quotes`` (see :func:`themes`).
    discovered : DataFrame
        Candidate themes among the comments no theme matched (empty unless ``discover > 0``):
        ``candidate, top_terms, term_langs, comments, share, lang, examples``.
    counts : dict
        ``rows`` (input rows), ``commented`` (a comment with at least one word), ``empty``
        (missing, empty or blank), ``no_text`` (only emoji, symbols or punctuation),
        ``scored`` (commented with a score, the detractor comparison's base), ``unmatched``
        (commented, no theme).
    commented : Series of bool
        Which input rows have a comment with words (the base of ``share``).
    languages : Series
        Each row's comment language as detected ("en", "es", "" undecided; missing without
        text), or the ``lang`` given.
    taxonomy : Taxonomy
        The themes used (none when called without a taxonomy).
    """

    tags: pd.DataFrame
    table: pd.DataFrame
    discovered: pd.DataFrame
    counts: dict[str, int]
    commented: pd.Series
    languages: pd.Series
    taxonomy: Taxonomy

    @property
    def summary(self) -> pd.DataFrame:
        """The theme table with quotes joined by " | " (what the notebook shows)."""
        out = self.table.copy()
        out["quotes"] = out["quotes"].map(" | ".join)
        return out

    def discovered_yaml(self) -> str:
        """Return the discovered candidates as taxonomy entries to paste under ``themes:``.

        Each candidate becomes a theme ``candidate_<n>`` with a TODO label and its top terms
        as phrases, each under the language whose comments use it more (the candidate's
        language on a tie, else English), with, in a YAML comment, how many comments it holds
        and an example. Keep the terms that name the theme, rename the key, write the labels.
        """
        lines = []
        for row in self.discovered.itertuples(index=False):
            example = f', e.g. "{row.examples[0]}"' if row.examples else ""
            lines += [
                f"  candidate_{row.candidate}:  # {row.comments} comments{example}",
                '    label: {en: "TODO", es: "TODO"}',
            ]
            langs = [g or row.lang or "en" for g in row.term_langs]
            for lang in ("en", "es"):
                terms = [t for t, g in zip(row.top_terms, langs, strict=True) if g == lang]
                if terms:
                    lines.append(f"    {lang}: {json.dumps(terms, ensure_ascii=False)}")
        return "\n".join(lines) + "\n" if lines else ""

    def __repr__(self) -> str:
        c = self.counts
        head = (
            f"ThemeResult: {c['commented']} commented of {c['rows']} rows ({c['empty']} empty, "
            f"{c['no_text']} without words), {len(self.table)} theme(s), "
            f"{len(self.discovered)} discovered"
        )
        return f"{head}\n{self.summary.to_string(index=False)}"


def themes(
    data: pd.DataFrame,
    *,
    text: str = "comment",
    taxonomy: Taxonomy | str | Path | Mapping | None = None,
    score: str | None = "nps",
    discover: int = 0,
    lang: str = "auto",
    random_state: int | None = None,
) -> ThemeResult:
    """Tag each comment with the themes it mentions, and tie each theme to detractors.

    Parameters
    ----------
    data : DataFrame
        Responses, one per row, with a ``text`` column (and a ``score`` column).
    text : str
        The comment column: text, missing where there is no comment.
    taxonomy : Taxonomy, path or mapping, optional
        The themes: a :class:`Taxonomy`, a YAML file (see ``templates/themes.yml``) or the
        same shape as a mapping. Without one, no comment is tagged and ``discover`` must be
        at least 1 (the use: finding a first taxonomy's themes); otherwise a ThemeError.
    score : str or None
        The NPS column (0-10; detractors 0-6). None leaves the detractor columns NaN.
    discover : int
        How many candidate themes to look for among the commented rows no theme matched.
    lang : {"auto", "en", "es"}
        Which language's phrases are matched: "auto" detects each comment's language (from
        its function words) and applies that language's phrases, or both languages' phrases
        when undecided; "en" or "es" applies one language's phrases to every comment. Also
        the language of ``table.label`` ("auto": English) and of undecided quotes' masks.
    random_state : int, optional
        Seed for ``discover``.

    Returns
    -------
    ThemeResult
        ``tags``, ``table``, ``discovered``, ``counts``, ``commented``, ``languages``.

    Notes
    -----
    Matching: text is lowercased and accents are removed; a phrase matches whole words in
    order, on word boundaries, with commas, dashes and quotes ignored but not across a sentence
    end (``.!?;`` or a line break); each word matches any word with the same Snowball stem
    (Porter, 2001, "Snowball: A language for stemming algorithms") in the phrase's language
    ("invoices" for "invoice", "cobraron" for "cobro"); ``word*`` matches words starting with
    "word". A match with a negation (no, not, never, nunca, ni, sin, without, don't, didn't,
    wasn't, isn't, ...) as one of the two words before it does not count.

    ``share`` = 100 × mentions / commented. The detractor columns compare commented, scored
    responses that mention the theme with those that do not (:mod:`cxkit.themes._stats`:
    Newcombe's interval, pooled z-test, Holm across themes). ``quotes``: up to three comments
    mentioning the theme, shortest informative ones first, e-mail addresses and phone numbers
    masked (:func:`cxkit.redact`), at most 160 characters; plain text, to be escaped where shown.

    Examples
    --------
    >>> result = themes(responses, taxonomy="clients/acme/themes.yml")  # doctest: +SKIP
    >>> result.table[["label", "share", "difference", "p_adjusted"]]  # doctest: +SKIP
    """
    check_option("lang", lang, ("auto", *LANGUAGES))
    discover = _check_discover(discover)
    chosen = _resolve_taxonomy(taxonomy, discover)
    texts = _text_array(data, text)
    scores = _scores(data, score)
    tokens = tokenize(texts)
    counts, commented = _counts(texts, tokens.words)
    languages = _languages(tokens, commented, lang)
    applies = _applies(languages, lang)
    mentions = tag_tokens(tokens, len(data), chosen, applies) & commented[:, None]
    tags = pd.DataFrame(mentions, index=data.index, columns=chosen.keys)
    base = np.flatnonzero(commented)
    table = _table(chosen, mentions[base], scores[base], lang)
    plain = np.asarray(texts.to_pylist(), dtype=object)[base]
    table["quotes"] = pick_quotes(plain, tokens.words[base], languages[base], mentions[base])
    unmatched = ~mentions[base].any(axis=1)
    counts |= {"scored": int((~np.isnan(scores[base])).sum()), "unmatched": int(unmatched.sum())}
    found = discover_themes(
        plain[unmatched], languages[base][unmatched], discover, random_state=random_state
    )
    return ThemeResult(
        tags=tags,
        table=table,
        discovered=found,
        counts=counts,
        commented=pd.Series(commented, index=data.index, name="commented"),
        languages=pd.Series(np.where(commented, languages, None), index=data.index, name="lang"),
        taxonomy=chosen,
    )


def _check_discover(discover: object) -> int:
    if isinstance(discover, bool) or not isinstance(discover, (int, np.integer)) or discover < 0:
        raise ThemeError(
            f"`discover` must be a whole number of candidate themes, 0 or more; got {discover!r}."
        )
    return int(discover)


def _resolve_taxonomy(taxonomy: object, discover: int) -> Taxonomy:
    """Return the taxonomy to tag with (an empty one when None and ``discover`` is set)."""
    if isinstance(taxonomy, Taxonomy):
        return taxonomy
    if isinstance(taxonomy, (str, Path)):
        return load_taxonomy(taxonomy)
    if isinstance(taxonomy, Mapping):
        return Taxonomy.from_dict(taxonomy)
    if taxonomy is None and discover > 0:
        return Taxonomy(())
    if taxonomy is None:
        raise ThemeError(
            "`taxonomy` is None and `discover` is 0, so there is nothing to do. Pass "
            "taxonomy='themes.yml' (see templates/themes.yml), or discover=8 to look for "
            "candidate themes in the comments."
        )
    raise ThemeError(
        f"`taxonomy` must be a Taxonomy, a path to a YAML file or a mapping; got "
        f"{type(taxonomy).__name__}. Load one with cx.load_taxonomy('themes.yml')."
    )


def _text_array(data: pd.DataFrame, text: str) -> pa.Array:
    """Return the comment column as an Arrow string array; raise ThemeError if it is not text."""
    if not isinstance(data, pd.DataFrame):
        raise ThemeError(f"`data` must be a DataFrame of responses; got {type(data).__name__}.")
    if text not in data.columns:
        raise ThemeError(
            f"`text`: column {text!r} not found; columns are {list(data.columns)}. Pass "
            "text='<your comment column>'."
        )
    column = data[text]
    if isinstance(column.dtype, pd.CategoricalDtype) or column.isna().all():
        column = column.astype(object).where(column.notna(), None)  # no comment at all: fine
    kind = pd.api.types.infer_dtype(column, skipna=True)
    if kind not in ("string", "empty"):
        bad = column[column.notna() & ~column.map(lambda v: isinstance(v, str))]
        raise ThemeError(
            f"`text`: column {text!r} must hold text (comments), but it holds {kind} values "
            f"(rows {list(bad.index[:5])}, e.g. {bad.iloc[0]!r}). Name the comment column, "
            "or convert the values with .astype(str)."
        )
    if isinstance(column.array, pd.arrays.ArrowStringArray):  # pandas' default text: no copy
        values = pa.array(column.array)
        return values.combine_chunks() if isinstance(values, pa.ChunkedArray) else values
    return pa.array(column.astype(object), type=pa.large_string(), from_pandas=True)


def _scores(data: pd.DataFrame, score: str | None) -> np.ndarray:
    """Return the NPS scores as floats (NaN where missing); all NaN when ``score`` is None."""
    if score is None:
        return np.full(len(data), np.nan)
    if score not in data.columns:
        raise ThemeError(
            f"`score`: column {score!r} not found; columns are {list(data.columns)}. Pass "
            "score='<your NPS column>', or score=None to leave out the detractor comparison."
        )
    values = pd.to_numeric(data[score], errors="coerce").astype("float64").to_numpy()
    bad = (data[score].notna().to_numpy() & np.isnan(values)) | (values < 0) | (values > 10)
    if bad.any():
        rows = list(data.index[bad][:5])
        raise ThemeError(
            f"`score`: column {score!r} must hold NPS scores from 0 to 10; rows {rows} do not "
            f"(e.g. {data[score][bad].iloc[0]!r}). Read the data with cx.read_responses, "
            "which coerces and quarantines bad scores."
        )
    return values


def _counts(texts: pa.Array, words: np.ndarray) -> tuple[dict[str, int], np.ndarray]:
    """Return the counts of rows by kind of comment, and which rows are commented."""
    blank = pc.equal(pc.utf8_trim_whitespace(texts), "").fill_null(True)
    blank = blank.to_numpy(zero_copy_only=False)
    commented = words > 0
    counts = {
        "rows": len(texts),
        "commented": int(commented.sum()),
        "empty": int(blank.sum()),
        "no_text": int((~blank & ~commented).sum()),
    }
    return counts, commented


def _languages(tokens, commented: np.ndarray, lang: str) -> np.ndarray:
    if lang != "auto":
        return np.full(len(commented), lang, dtype=object)
    return detect_languages(tokens, len(commented))


def _applies(languages: np.ndarray, lang: str) -> dict[str, np.ndarray]:
    """Return, per taxonomy language, which rows its phrases are matched in."""
    if lang != "auto":
        return {lang: np.ones(len(languages), dtype=bool)}
    undecided = languages == ""
    return {g: (languages == g) | undecided for g in LANGUAGES}


def _table(chosen: Taxonomy, mentions: np.ndarray, scores: np.ndarray, lang: str) -> pd.DataFrame:
    """Return the theme table without quotes (rows: commented responses)."""
    label_lang = "es" if lang == "es" else "en"
    out = pd.DataFrame(
        {
            "theme": chosen.keys,
            "label": [chosen.label(k, label_lang) for k in chosen.keys],
            "mentions": mentions.sum(axis=0).astype(np.int64),
        }
    )
    out["share"] = 100 * out["mentions"] / len(mentions) if len(mentions) else np.nan
    scored = ~np.isnan(scores)
    association = detractor_association(mentions[scored], scores[scored] <= _DETRACTOR_MAX)
    return pd.concat([out, association], axis=1)
