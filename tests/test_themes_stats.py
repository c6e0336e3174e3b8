"""cx.themes' table, counts, quotes and discovery, and theme_trends (cxkit.themes).

Reference numbers come from statsmodels called directly in each test, or are worked out by hand
in the test's comments.
"""

import numpy as np
import pandas as pd
import pytest
import yaml
from statsmodels.stats.multitest import multipletests
from statsmodels.stats.proportion import (
    confint_proportions_2indep,
    proportion_confint,
    proportions_ztest,
)

from cxkit.themes import Taxonomy, ThemeError, ThemeResult, ThemeTrends, theme_trends, themes

TAXONOMY = {
    "themes": {
        "refund": {
            "label": {"en": "Refunds", "es": "Reembolsos"},
            "en": ["refund*"],
            "es": ["reembols*"],
        },
        "app": {"label": {"en": "The app", "es": "La app"}, "en": ["app"], "es": ["app"]},
    }
}


def association_frame():
    """Ten commented, scored responses; one commented without a score; one without a comment.

    refund: rows 0-3 mention it, scores 0, 3, 9, 6 -> 3 detractors of 4 (75%);
            rows 4-9 do not, scores 10, 9, 2, 8, 7, 10 -> 1 detractor of 6 (16.67%).
    app:    rows 4-6 mention it, scores 10, 9, 2 -> 1 of 3 (33.33%);
            rows 0-3 and 7-9 do not, scores 0, 3, 9, 6, 8, 7, 10 -> 3 of 7 (42.86%).
    """
    comments = [
        "still waiting for my refund",
        "refund never came, write to ana@example.com",
        "refunded quickly",
        "Refund took a month and nobody told me why it was so slow",
        "love the app",
        "the app is great",
        "app keeps crashing",
        "fine",
        "ok service",
        "great people",
        "my refund is late",  # commented, no score: not in the detractor comparison
        None,  # no comment: not in any share
    ]
    scores = [0, 3, 9, 6, 10, 9, 2, 8, 7, 10, None, 0]
    return pd.DataFrame({"comment": comments, "nps": pd.array(scores, dtype="Int8")})


def test_table_columns_and_mentions():
    result = themes(association_frame(), taxonomy=TAXONOMY)
    assert isinstance(result, ThemeResult)
    assert list(result.table.columns) == [
        "theme",
        "label",
        "mentions",
        "share",
        "detractor_share_with",
        "detractor_share_without",
        "difference",
        "ci_low",
        "ci_high",
        "p_value",
        "p_adjusted",
        "quotes",
    ]
    table = result.table.set_index("theme")
    # 11 commented responses; refund: rows 0-3 and 10 = 5; app: rows 4-6 = 3
    assert table.loc["refund", "mentions"] == 5
    assert table.loc["refund", "share"] == pytest.approx(100 * 5 / 11)
    assert table.loc["app", "share"] == pytest.approx(100 * 3 / 11)
    assert table.loc["refund", "label"] == "Refunds"
    assert result.counts == {
        "rows": 12,
        "commented": 11,
        "empty": 1,
        "no_text": 0,
        "scored": 10,
        "unmatched": 3,
    }


def test_detractor_association_against_statsmodels():
    table = themes(association_frame(), taxonomy=TAXONOMY).table.set_index("theme")
    expected = {"refund": (3, 4, 1, 6), "app": (1, 3, 3, 7)}  # worked out in association_frame
    p_values = []
    for theme, (d1, n1, d0, n0) in expected.items():
        row = table.loc[theme]
        assert row["detractor_share_with"] == pytest.approx(100 * d1 / n1)
        assert row["detractor_share_without"] == pytest.approx(100 * d0 / n0)
        assert row["difference"] == pytest.approx(100 * (d1 / n1 - d0 / n0))
        low, high = confint_proportions_2indep(d1, n1, d0, n0, method="newcomb", compare="diff")
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((100 * low, 100 * high))
        p_values.append(proportions_ztest([d1, d0], [n1, n0])[1])
        assert row["p_value"] == pytest.approx(p_values[-1])
    holm = multipletests(p_values, method="holm")[1]
    assert table["p_adjusted"].tolist() == pytest.approx(list(holm))
    assert table.loc["refund", "difference"] == pytest.approx(58.333333)  # 75 - 16.67


def test_no_score_leaves_the_detractor_columns_empty():
    table = themes(association_frame(), taxonomy=TAXONOMY, score=None).table
    assert table["detractor_share_with"].isna().all() and table["p_adjusted"].isna().all()


def test_quotes_are_redacted_short_first_and_plain_text():
    quotes = themes(association_frame(), taxonomy=TAXONOMY).table.set_index("theme")["quotes"]
    refund = quotes["refund"]
    assert len(refund) == 3
    assert not any("@" in q for q in refund)
    # comments of four words or more first, shortest first: "my refund is late" (17 chars),
    # "still waiting for my refund" (27), "refund never came, write to [email]" (35 once masked)
    assert refund == [
        "my refund is late",
        "still waiting for my refund",
        "refund never came, write to [email]",
    ]
    # "the app is great" has four words; then the three-word ones, shortest first
    assert quotes["app"] == ["the app is great", "love the app", "app keeps crashing"]


def test_spanish_quotes_get_spanish_masks():
    data = pd.DataFrame({"comment": ["El reembolso no llega, escribid a ana@example.com"]})
    quotes = themes(data, taxonomy=TAXONOMY, score=None).table["quotes"].iloc[0]
    assert quotes == ["El reembolso no llega, escribid a [correo]"]


def test_long_quotes_are_cut_at_a_word():
    data = pd.DataFrame({"comment": ["refund " + "very " * 60 + "late"]})
    quote = themes(data, taxonomy=TAXONOMY, score=None).table["quotes"].iloc[0][0]
    assert len(quote) <= 160 and quote.endswith("very…")


def test_empty_blank_and_emoji_only_comments_are_counted():
    data = pd.DataFrame(
        {"comment": ["", "   ", "😀🙏", "!!!", None, "app ok", "\n\t"], "nps": [1] * 7}
    )
    result = themes(data, taxonomy=TAXONOMY)
    # empty: "", "   ", None, "\n\t"; no text: the emoji and "!!!"; commented: "app ok"
    assert result.counts["empty"] == 4
    assert result.counts["no_text"] == 2
    assert result.counts["commented"] == 1
    assert result.commented.tolist() == [False] * 5 + [True, False]
    assert result.table.set_index("theme").loc["app", "share"] == 100.0


def test_no_comment_at_all_does_not_crash():
    data = pd.DataFrame({"comment": [None, "😀"], "nps": [3, 9]})
    result = themes(data, taxonomy=TAXONOMY)
    assert result.counts["commented"] == 0
    assert result.table["mentions"].tolist() == [0, 0]
    assert result.table["share"].isna().all()


def test_categorical_and_all_missing_comment_columns_are_accepted():
    data = pd.DataFrame({"comment": pd.Categorical(["app ok", None, "app"]), "nps": [1, 2, 3]})
    assert themes(data, taxonomy=TAXONOMY).table["mentions"].tolist() == [0, 2]
    data = pd.DataFrame({"comment": [np.nan, np.nan], "nps": [1, 2]})  # read as floats
    assert themes(data, taxonomy=TAXONOMY).counts["empty"] == 2


def test_column_errors_name_the_column():
    data = association_frame()
    with pytest.raises(ThemeError, match=r"`text`: column 'verbatim' not found"):
        themes(data, text="verbatim", taxonomy=TAXONOMY)
    with pytest.raises(ThemeError, match=r"`text`: column 'nps' must hold text"):
        themes(data, text="nps", taxonomy=TAXONOMY)
    with pytest.raises(ThemeError, match=r"`score`: column 'ltr' not found"):
        themes(data, taxonomy=TAXONOMY, score="ltr")
    data.loc[0, "nps"] = 11
    with pytest.raises(ThemeError, match=r"`score`: column 'nps' must hold NPS scores.*\[0\]"):
        themes(data, taxonomy=TAXONOMY)
    with pytest.raises(ThemeError, match="`discover` must be a whole number"):
        themes(data, taxonomy=TAXONOMY, discover=-1)


def test_repr_and_html():
    result = themes(association_frame(), taxonomy=TAXONOMY)
    assert repr(result).startswith("ThemeResult: 11 commented of 12 rows")
    html = result._repr_html_()
    assert "<table" in html and "[email]" in html and "ana@example.com" not in html


def discovery_frame():
    """300 comments: 120 about broken packaging (planted), 20 about refunds, 160 of noise."""
    rng = np.random.default_rng(3)
    noise = [
        "price",
        "store",
        "staff",
        "phone",
        "website",
        "quality",
        "color",
        "size",
        "plan",
        "offer",
        "music",
        "parking",
    ]
    comments = []
    for i in range(60):
        comments.append(f"the packaging was damaged and the box {rng.choice(noise)} item {i}")
        comments.append(f"el embalaje llegó roto y la caja {rng.choice(noise)} pedido {i}")
    comments += [f"waiting for a refund {i}" for i in range(20)]
    comments += [" ".join(rng.choice(noise, 5)) for _ in range(160)]
    return pd.DataFrame({"comment": comments, "nps": rng.integers(0, 11, len(comments))})


def test_discover_finds_the_planted_theme():
    result = themes(discovery_frame(), taxonomy=TAXONOMY, discover=4, random_state=0)
    found = result.discovered
    assert list(found.columns) == [
        "candidate",
        "top_terms",
        "term_langs",
        "comments",
        "share",
        "lang",
        "examples",
    ]
    assert len(found) == 4
    assert result.counts["unmatched"] == 280  # the 20 refund comments are matched
    planted = found[found["top_terms"].map(lambda t: "packaging" in t or "embalaje" in t)]
    assert len(planted) >= 1
    examples = [e for row in planted["examples"] for e in row]
    assert any("packaging" in e or "embalaje" in e for e in examples)
    assert found["comments"].sum() <= 280
    assert set(planted["lang"]) <= {"en", "es"}
    # the planted English word is found in English comments, the Spanish one in Spanish ones
    for terms, langs in zip(found["top_terms"], found["term_langs"], strict=True):
        assert {"packaging": "en", "embalaje": "es"}.items() >= {
            t: g for t, g in zip(terms, langs, strict=True) if t in ("packaging", "embalaje")
        }.items()


def test_discovered_candidates_paste_into_a_taxonomy():
    result = themes(discovery_frame(), taxonomy=TAXONOMY, discover=4, random_state=0)
    snippet = result.discovered_yaml()
    assert snippet.count("candidate_") == 4
    pasted = Taxonomy.from_dict(yaml.safe_load("themes:\n" + snippet))
    assert pasted.keys == ["candidate_1", "candidate_2", "candidate_3", "candidate_4"]
    terms = [t for row in result.discovered["top_terms"] for t in row]
    phrases = [p for theme in pasted.themes for lang in ("en", "es") for p in theme.phrases[lang]]
    assert sorted(phrases) == sorted(terms)


def test_discover_is_deterministic_and_works_without_a_taxonomy():
    first = themes(discovery_frame(), discover=3, random_state=1)
    second = themes(discovery_frame(), discover=3, random_state=1)
    pd.testing.assert_frame_equal(first.discovered, second.discovered)
    assert first.tags.shape[1] == 0 and first.table.empty


def trend_frame():
    """Comments over three months, refund mentions per month:

    2026-08: 1 of 4; 2026-09: 2 of 10; 2026-10: 8 of 10 (and one comment without a date).
    """
    rows = []
    for month, mentions, total in (("2026-08", 1, 4), ("2026-09", 2, 10), ("2026-10", 8, 10)):
        for i in range(total):
            text = "where is my refund" if i < mentions else "all good"
            rows.append((text, pd.Timestamp(f"{month}-{i + 1:02d}")))
    rows.append(("refund please", pd.NaT))
    rows.append((None, pd.Timestamp("2026-10-20")))  # no comment: not counted anywhere
    return pd.DataFrame(rows, columns=["comment", "responded_at"])


def test_theme_trends_wilson_intervals():
    data = trend_frame()
    trends = theme_trends(data, themes(data, taxonomy=TAXONOMY, score=None))
    assert isinstance(trends, ThemeTrends)
    assert trends.undated == 1
    refund = trends.table[trends.table["theme"] == "refund"].reset_index(drop=True)
    assert refund["period"].astype(str).tolist() == ["2026-08", "2026-09", "2026-10"]
    assert refund["mentions"].tolist() == [1, 2, 8]
    assert refund["commented"].tolist() == [4, 10, 10]
    low, high = proportion_confint([1, 2, 8], [4, 10, 10], method="wilson")
    assert refund["ci_low"].tolist() == pytest.approx(list(100 * low))
    assert refund["ci_high"].tolist() == pytest.approx(list(100 * high))
    assert refund["share"].tolist() == pytest.approx([25.0, 20.0, 80.0])


def test_theme_trends_last_change_against_statsmodels():
    data = trend_frame()
    trends = theme_trends(data, themes(data, taxonomy=TAXONOMY, score=None))
    changes = trends.changes.set_index("theme")
    assert str(trends.period) == "2026-10"
    refund = changes.loc["refund"]
    assert str(refund["previous"]) == "2026-09"
    assert refund["difference"] == pytest.approx(60.0)  # 80% - 20%
    p_refund = proportions_ztest([8, 2], [10, 10])[1]
    assert refund["p_value"] == pytest.approx(p_refund)
    # the app theme is never mentioned: pooled share 0, no test (NaN), so Holm over one p-value
    assert np.isnan(changes.loc["app", "p_value"])
    assert refund["p_adjusted"] == pytest.approx(multipletests([p_refund], method="holm")[1][0])
    assert bool(refund["significant"]) == bool(refund["p_adjusted"] < 0.05)


def test_theme_trends_for_a_chosen_period_and_from_a_tags_frame():
    data = trend_frame()
    result = themes(data, taxonomy=TAXONOMY, score=None)
    trends = theme_trends(data, result.tags[result.commented], period="2026-09")
    refund = trends.changes.set_index("theme").loc["refund"]
    assert refund["share"] == pytest.approx(20.0) and refund["previous_share"] == 25.0
    with pytest.raises(ThemeError, match="not a period of granularity freq='M'"):
        theme_trends(data, result, period="2026Q3")
    with pytest.raises(ThemeError, match="no commented response in period 2025-01"):
        theme_trends(data, result, period="2025-01")
    with pytest.raises(ThemeError, match="`date`: column 'when' not found"):
        theme_trends(data, result, date="when")
    quarterly = theme_trends(data, result, freq="Q")
    assert quarterly.table["period"].astype(str).unique().tolist() == ["2026Q3", "2026Q4"]
