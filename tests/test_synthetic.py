"""The synthetic client: deterministic, and its planted truths are really in the data.

Every expected value below is a planted parameter from cxkit/synthetic (quoted in
data/samples/README.md), checked against a plain computation on generated data.
"""

import filecmp
import re

import numpy as np
import pandas as pd
import pytest
import yaml

from cxkit.experiments import ab_test, power
from cxkit.synthetic import comments as cmt
from cxkit.synthetic import customers as cust
from cxkit.synthetic import followups as fup
from cxkit.synthetic import generate, write_sample_data
from cxkit.synthetic import tickets as tick
from cxkit.synthetic.customers import make_customers
from cxkit.synthetic.experiments import EXPERIMENTS, STREAM, add_experiments, eligible
from cxkit.synthetic.readme import driver_fit, experiment_groups, follow_up_facts
from cxkit.synthetic.responses import make_responses
from cxkit.synthetic.tickets import make_tickets
from cxkit.synthetic.vocab import (
    FILLER_SENTENCES,
    HOSTILE_COMMENTS,
    INCIDENT,
    INCIDENT_EMAIL_SLOWDOWN,
    NEGATED_SENTENCES,
    POPULATION_SHARE,
    THEME_SENTENCES,
    TOUCHPOINTS,
    WINDOW_END,
)


@pytest.fixture(scope="module")
def big():
    return generate(150_000, seed=11)


def nps(scores):
    """NPS in points: 100 * (share of 9-10 - share of 0-6)."""
    s = scores.dropna()
    return 100 * ((s >= 9).mean() - (s <= 6).mean())


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = generate(2_000, seed=5), generate(2_000, seed=5), generate(2_000, seed=6)
    pd.testing.assert_frame_equal(a.responses, b.responses)
    pd.testing.assert_frame_equal(a.tickets, b.tickets)
    pd.testing.assert_frame_equal(a.follow_ups, b.follow_ups)
    assert not a.responses["nps"].equals(c.responses["nps"])
    assert not a.responses["comment"].equals(c.responses["comment"])


def test_committed_samples_are_what_the_generator_writes(samples, tmp_path):
    written = write_sample_data(tmp_path)
    different = [p.name for p in written if not filecmp.cmp(p, samples / p.name, shallow=False)]
    assert not different, (
        f"data/samples differs from the generator's output in {different}; regenerate with "
        "`cxkit sample-data --out data/samples` and commit."
    )


def test_planted_driver_weights_are_recovered(big):
    # The README's claim: least squares on the truth model's design recovers the weights in order
    # and proportion, shrunk (not distorted) by NPS rounding and the cap at 10.
    fitted = driver_fit(big.responses)
    planted = np.array([tp.weight for tp in TOUCHPOINTS])
    strong = planted >= 0.2
    ratio = fitted[strong] / planted[strong]
    assert np.all((ratio > 0.65) & (ratio < 0.95)), dict(
        zip([t.key for t in TOUCHPOINTS], fitted, strict=True)
    )
    assert np.all(np.abs(fitted[planted == 0]) < 0.05)
    assert list(np.argsort(-fitted[strong])) == list(np.argsort(-planted[strong]))


def test_planted_nps_dip_and_recovery(big):
    r = big.responses
    month = r["responded_at"].dt.strftime("%Y-%m")
    by_month = r.groupby(month)["nps"].apply(nps)  # 24 groups; test code, not library code
    before = by_month.loc["2025-05":"2025-10"].mean()
    after = by_month.loc["2026-04":"2026-09"].mean()
    for m in ("2025-11", "2025-12"):
        assert by_month[m] < before - 8, (m, by_month[m], before)
    assert abs(after - before) < 4  # recovered
    assert by_month["2026-02"] > by_month["2025-12"]  # recovering as the incident fades
    assert set(INCIDENT) <= set(by_month.index)


def test_weights_restore_population_segment_shares(big):
    r = big.responses
    shares = r.groupby("segment", observed=True)["weight"].sum() / r["weight"].sum()
    np.testing.assert_allclose(shares.to_numpy(), POPULATION_SHARE, atol=0.01)


def test_churn_hazard_by_segment():
    c = generate(200_000, seed=2).customers  # 50,000 customers
    last = c["end_date"].fillna(pd.Timestamp("2026-10-31"))
    months = (last - c["start_date"]).dt.days / cust.DAYS_PER_MONTH
    churned = c["end_date"].notna()
    codes = c["segment"].cat.codes
    # exponential lifetimes: hazard = events / exposure (the maximum-likelihood estimate)
    hazard = [churned[codes == s].sum() / months[codes == s].sum() for s in range(3)]
    np.testing.assert_allclose(hazard, cust.MONTHLY_CHURN, rtol=0.1)


def test_tickets_incident_slowdown_and_sanity(big):
    t = big.tickets
    first_h = (t["first_response_at"] - t["opened_at"]).dt.total_seconds() / 3600
    email = t["channel"].cat.codes == 0
    incident = t["opened_at"].dt.strftime("%Y-%m").isin(list(INCIDENT)[:3])
    ratio = first_h[email & incident].median() / first_h[email & ~incident].median()
    assert INCIDENT_EMAIL_SLOWDOWN * 0.85 < ratio < INCIDENT_EMAIL_SLOWDOWN * 1.15
    assert (
        t["first_response_at"].dropna() >= t.loc[t["first_response_at"].notna(), "opened_at"]
    ).all()
    resolved = t["resolved_at"].notna()
    assert (t.loc[resolved, "resolved_at"] >= t.loc[resolved, "opened_at"]).all()
    assert (t["contacts"] >= 1).all()
    assert 0 < (~resolved).mean() < 0.05


def test_comments_in_both_languages_and_hostile_ones(big):
    comments = big.responses["comment"].dropna()
    assert comments.str.contains("soporte|entrega|bienvenida", case=False).any()
    assert comments.str.contains("support|delivery|onboarding", case=False).any()
    for text in HOSTILE_COMMENTS:
        assert (comments == text).sum() == 1
    assert 0.25 < big.responses["comment"].notna().mean() < 0.35


def test_every_stage_and_touchpoint_appears(big):
    r = big.responses
    assert set(r["stage"]) == {"attract", "accept", "adopt", "amplify", "advance"}
    assert r["touchpoint"].nunique() == len(TOUCHPOINTS)
    # the trigger touchpoint is always rated
    key = {tp.en: tp.key for tp in TOUCHPOINTS}
    rated = [pd.notna(row[f"rating_{key[row['touchpoint']]}"]) for _, row in r.head(500).iterrows()]
    assert all(rated)


def _plain(rows=2_000, seed=5):
    """generate() without anything planted on a stream of its own, by hand: the same calls on
    the same main stream. Returns (responses, tickets)."""
    rng = np.random.default_rng(seed)
    customers = make_customers(max(rows // 4, 200), rng, "en")
    responses = make_responses(rows, customers, rng, "en")
    return responses, make_tickets(max(rows // 2, 50), customers, rng, "en")


def test_experiment_columns_leave_every_other_column_as_it_was():
    plain, _ = _plain()
    full = generate(2_000, seed=5).responses
    assert list(full.columns) == [*plain.columns, "experiment", "variant"]
    # the comments step replaces `comment` (tested below); every other column is as it was
    kept = [c for c in plain.columns if c != "comment"]
    pd.testing.assert_frame_equal(full[kept], plain[kept])


def test_planted_experiments_in_a_big_sample(big):
    """Planted (cxkit.synthetic.experiments): onboarding_email +12 NPS points, invoice none."""
    r = big.responses
    for exp in EXPERIMENTS:
        test = r[r["experiment"] == exp.name]
        assert set(test["variant"]) == {"control", "treatment"}
        np.testing.assert_array_equal(eligible(r, exp), (r["experiment"] == exp.name).to_numpy())
        control = test.loc[test["variant"] == "control", "nps"]
        treatment = test.loc[test["variant"] == "treatment", "nps"]
        # ~30,000 (onboarding) and ~10,000 (invoice) respondents: NPS SE about 1.0 and 1.8 points
        assert abs(nps(treatment) - nps(control) - exp.nps_effect) < 4, exp.name
        # about half in each group (the tilt moves the share by a point or two at most)
        assert abs((test["variant"] == "treatment").mean() - 0.5) < 0.03
    assert r["experiment"].isna().sum() == (r["variant"].isna()).sum() > 0.5 * len(r)


def test_sample_readme_states_the_planted_experiments(samples):
    text = (samples / "README.md").read_text(encoding="utf-8")
    r = pd.read_csv(samples / "responses.csv", parse_dates=["responded_at"])
    for exp in EXPERIMENTS:
        control, treatment = experiment_groups(r, exp.name)
        planted = f"{exp.nps_effect:+.0f} points" if exp.nps_effect else "none"
        row = next(line for line in text.splitlines() if line.startswith(f"| `{exp.name}`"))
        assert f"| {len(control):,} / {len(treatment):,} | {planted} |" in row
        assert f"{exp.start} to {exp.end}" in row
    assert f"default_rng([seed, {STREAM}])" in text


def test_ab_test_finds_the_planted_effect_and_not_the_null(samples):
    r = pd.read_csv(samples / "responses.csv", parse_dates=["responded_at"])
    effect, null = EXPERIMENTS
    control, treatment = experiment_groups(r, effect.name)
    found = ab_test(control["nps"], treatment["nps"], metric="nps")
    assert found.p_value < 0.05
    assert found.ci_low <= effect.nps_effect <= found.ci_high
    # the planted effect was sized so that these groups detect it with high power (README)
    scores = control["nps"].dropna()
    mix = {
        "promoters": 100 * (scores >= 9).mean(),
        "passives": 100 * scores.between(7, 8).mean(),
        "detractors": 100 * (scores <= 6).mean(),
    }
    chance = power(
        metric="nps", baseline=mix, minimum_effect=effect.nps_effect, n=found.n_control,
        ratio=found.n_treatment / found.n_control,
    )  # fmt: skip
    assert chance > 0.9
    control, treatment = experiment_groups(r, null.name)
    for metric in ("nps", "csat"):
        result = ab_test(control[metric], treatment[metric], metric=metric)
        assert result.ci_low <= 0 <= result.ci_high, (metric, result)


# ------------------------------------------------------------------ comments with planted themes
def test_comments_step_replaces_only_the_comment_column_and_keeps_the_hostile_ones():
    plain, _ = _plain()
    with_experiments = add_experiments(plain, np.random.default_rng([5, STREAM]))
    full = generate(2_000, seed=5).responses
    kept = [c for c in with_experiments.columns if c != "comment"]
    assert list(full.columns) == list(with_experiments.columns)
    pd.testing.assert_frame_equal(full[kept], with_experiments[kept])
    # the hostile comments keep their rows (n - 2 - 3i, see responses._comments) and texts
    n = len(full)
    for i, text in enumerate(HOSTILE_COMMENTS):
        assert plain["comment"].iat[n - 2 - 3 * i] == full["comment"].iat[n - 2 - 3 * i] == text
        assert (full["comment"] == text).sum() == 1
    assert not full["comment"].equals(plain["comment"])  # the rest is new


def _rate_ok(measured, planted, n):
    """Within four standard errors of a proportion: sqrt(p (1 - p) / n)."""
    return abs(measured - planted) < 4 * np.sqrt(planted * (1 - planted) / n)


def test_planted_theme_rates_are_recovered(big):
    """Planted (cmt.THEME_RATES), measured by a plain regex over the planted sentences."""
    r = big.responses
    text = r["comment"].fillna("")
    worded = text.str.contains(r"[^\W\d_]", regex=True)  # at least one letter
    detractor = (r["nps"] <= 6).fillna(False)
    assert _rate_ok(worded.mean(), 0.30 * (1 - sum(cmt.NO_WORDS.values())), len(r))
    found = cmt.planted_mentions(r["comment"])
    for theme, (p_detractor, p_other) in cmt.THEME_RATES.items():
        hit = found[theme]
        for mask, planted in ((worded & detractor, p_detractor), (worded & ~detractor, p_other)):
            assert _rate_ok(hit[mask].mean(), planted, mask.sum()), (theme, hit[mask].mean())
        assert not hit[~worded].any()
    # both languages: about 20% of worded comments are Spanish (the main language is English)
    es = [cmt.fold(s) for by in THEME_SENTENCES.values() for s in by["es"]]
    es += [
        cmt.fold(s) for s in (*NEGATED_SENTENCES["es"], *sum(FILLER_SENTENCES["es"].values(), ()))
    ]
    spanish = text.map(cmt.fold).str.contains("|".join(map(re.escape, es)), regex=True)
    assert 0.17 < spanish[worded].mean() < 0.23


def test_no_planted_sentence_contains_another_themes_sentence():
    # what makes planted_mentions' substring search exact: a sentence never hides another's
    themed = [(t, cmt.fold(s)) for t, by in THEME_SENTENCES.items() for x in by.values() for s in x]
    others = [cmt.fold(s) for x in NEGATED_SENTENCES.values() for s in x]
    others += [cmt.fold(s) for s in HOSTILE_COMMENTS]
    others += [cmt.fold(s) for by in FILLER_SENTENCES.values() for x in by.values() for s in x]
    for theme, sentence in themed:
        assert not any(sentence in o for t, o in themed if t != theme), sentence
        assert not any(sentence in o for o in others), sentence


def test_comment_variation_negations_emoji_and_blanks(big):
    text = big.responses["comment"].dropna()
    folded = text.map(cmt.fold)
    for sentence in (*NEGATED_SENTENCES["en"], *NEGATED_SENTENCES["es"]):
        assert folded.str.contains(re.escape(cmt.fold(sentence))).any(), sentence
    negated_only = pd.Series([" ".join((*NEGATED_SENTENCES["en"], *NEGATED_SENTENCES["es"]))])
    assert not cmt.planted_mentions(negated_only).to_numpy().any()  # negated mentions never count
    assert text.str.contains("aplicacion |embalaje roto", regex=True).any()  # accents absent
    assert text.str.contains("aplicación|llegó", regex=True).any()  # and present
    assert (text == "").any() and text.str.fullmatch(r"\s+").any()
    assert text.isin(["👍", "😡😡", "🙂", "⭐⭐⭐⭐⭐", "👎", "🤷"]).any()
    assert text.str.contains(r"^[a-z¡]", regex=True).any()  # some written in lower case


# A tagger with the contract's semantics, written out plainly: case and accents folded, whole
# words, a trailing * is a prefix, optionally stemmed, and "no", "nunca", "never" or "not" at
# most two words before a phrase cancels that mention.
NEGATIONS = {"no", "nunca", "never", "not"}


def _tokens(text):
    return re.findall(r"[^\W_]+", cmt.fold(text))


def _word_matches(word, token, stem):
    if word.endswith("*"):
        return token.startswith(word[:-1]) or stem(token).startswith(word[:-1])
    return token == word or stem(token) == stem(word)


def _phrase(phrase):
    words = _tokens(phrase)
    return [*words[:-1], words[-1] + "*"] if phrase.endswith("*") else words


def _themes_of(text, taxonomy, lang, stem=lambda w: w):
    tokens, found = _tokens(text), set()
    for theme, spec in taxonomy.items():
        for words in map(_phrase, spec[lang]):
            for i in range(len(tokens) - len(words) + 1):
                here = all(_word_matches(w, tokens[i + j], stem) for j, w in enumerate(words))
                if here and not NEGATIONS & set(tokens[max(0, i - 2) : i]):
                    found.add(theme)
    return found


@pytest.fixture(scope="module")
def taxonomy(samples):
    return yaml.safe_load((samples / "themes.yml").read_text(encoding="utf-8"))["themes"]


def _unthemed(lang):
    return (
        *THEME_SENTENCES[cmt.MISSING_THEME][lang],
        *NEGATED_SENTENCES[lang],
        *sum(FILLER_SENTENCES[lang].values(), ()),
        *HOSTILE_COMMENTS,
    )


def test_sample_taxonomy_lists_every_planted_theme_but_the_missing_one(taxonomy):
    assert set(taxonomy) == set(cmt.THEME_RATES) - {cmt.MISSING_THEME}
    for spec in taxonomy.values():
        assert set(spec["label"]) == {"en", "es"} and spec["en"] and spec["es"]
    # without stemming: never a wrong theme, and some sentences of every theme already match
    # (plurals such as "wrong invoices" or "cobros dobles" need the stemmer: next test)
    for lang in ("en", "es"):
        for theme in taxonomy:
            got = [_themes_of(s, taxonomy, lang) for s in THEME_SENTENCES[theme][lang]]
            assert all(g <= {theme} for g in got), (theme, got)
            assert {theme} in got, (theme, lang)
        for sentence in _unthemed(lang):
            assert not _themes_of(sentence, taxonomy, lang), sentence


def test_sample_taxonomy_finds_exactly_the_planted_themes_when_stemmed(taxonomy, big):
    snowball = pytest.importorskip("snowballstemmer")
    stems = {"en": snowball.stemmer("english"), "es": snowball.stemmer("spanish")}
    for lang in ("en", "es"):
        stem = stems[lang].stemWord
        for theme in taxonomy:
            for sentence in THEME_SENTENCES[theme][lang]:
                for variant in (sentence, sentence.lower(), cmt.strip_accents(sentence)):
                    assert _themes_of(variant, taxonomy, lang, stem) == {theme}, variant
        for sentence in _unthemed(lang):
            assert not _themes_of(sentence, taxonomy, lang, stem), sentence
    # whole comments: such a tagger (phrases of both languages) finds what was planted
    comments = big.responses["comment"].dropna().head(4_000)
    planted = cmt.planted_mentions(comments).drop(columns=cmt.MISSING_THEME)
    for text, row in zip(comments, planted.itertuples(index=False), strict=True):
        tagged = _themes_of(text, taxonomy, "en", stems["en"].stemWord)
        tagged |= _themes_of(text, taxonomy, "es", stems["es"].stemWord)
        assert tagged == {t for t, hit in zip(planted.columns, row, strict=True) if hit}, text


def test_sample_readme_states_the_planted_themes(samples):
    text = (samples / "README.md").read_text(encoding="utf-8")
    r = pd.read_csv(samples / "responses.csv")
    truth = cmt.theme_truth(r).set_index("theme")
    for theme, row in truth.iterrows():
        line = next(x for x in text.splitlines() if x.startswith(f"| `{theme}` |"))
        # the measured values, recomputed on the file as written (read back with pandas)
        rates = f"{row['rate_detractor']:.1f}% / {row['rate_other']:.1f}%"
        assert f"| {int(row['mentions']):,} | {rates} |" in line
        assert ("no (for discovery)" in line) == (theme == cmt.MISSING_THEME)
    billing = truth.loc["billing"]
    assert billing["detractor_share_with"] > 3 * billing["detractor_share_without"]
    assert f"default_rng([seed, {cmt.STREAM}])" in text


# ---------------------------------------------------------------------- ticket csat per agent
def test_ticket_csat_leaves_every_other_column_as_it_was():
    _, plain = _plain()
    full = generate(2_000, seed=5).tickets
    assert list(full.columns) == [*plain.columns, "csat"]
    kept = [c for c in plain.columns if c != "agent"]
    pd.testing.assert_frame_equal(full[kept], plain[kept])
    moved = full["agent"] != plain["agent"]  # only the new agent's tickets
    assert moved.sum() == tick.NEW_AGENT_TICKETS
    assert (full.loc[moved, "agent"] == tick.NEW_AGENT).all()
    assert (full.loc[moved, "csat"] == 5).all()


def test_planted_ticket_csat_per_agent(big):
    t = big.tickets
    resolved = t["resolved_at"].notna()
    assert t.loc[~resolved, "csat"].isna().all()  # open tickets are not rated
    assert _rate_ok(t.loc[resolved, "csat"].notna().mean(), tick.CSAT_RATED_SHARE, resolved.sum())
    rated = t[t["csat"].notna()]
    assert set(rated["csat"]) <= {1, 2, 3, 4, 5}
    for agent, planted in tick.AGENT_TOP2.items():
        scores = rated.loc[rated["agent"] == agent, "csat"]
        assert _rate_ok((scores >= 4).mean(), planted, len(scores)), agent
    new = t[t["agent"] == tick.NEW_AGENT]
    assert len(new) == tick.NEW_AGENT_TICKETS and (new["csat"] == 5).all()
    assert (new["opened_at"] >= pd.Timestamp("2026-10-01")).all()


def test_sample_tickets_read_with_csat_and_the_readme_states_it(samples):
    import cxkit as cx

    res = cx.read_tickets(samples / "tickets.csv")
    assert res.rows_read == res.rows_accepted
    csat = res.data["csat"]
    text = (samples / "README.md").read_text(encoding="utf-8")
    for agent, scores in res.data.groupby("agent")["csat"]:
        scores = scores.dropna()
        line = next(x for x in text.splitlines() if x.startswith(f"| {agent} |"))
        assert line.endswith(f"| {len(scores):,} | {(scores >= 4).mean():.1%} |"), line
    assert f"{csat.notna().sum():,} tickets" in text


# ---------------------------------------------------------------------------- follow-up log
def test_planted_follow_up_log(big):
    r, log = big.responses, big.follow_ups
    assert list(log.columns) == ["response_id", "who", "when", "outcome"]
    assert log["response_id"].is_unique
    due = r[fup.due_follow_up(r)]
    assert set(log["response_id"]) <= set(due["response_id"])
    month = due["responded_at"].dt.strftime("%Y-%m")
    assert set(month) == {"2026-08", "2026-09", "2026-10"}
    assert ((due["nps"] <= 6) | (due["csat"] <= 2)).all()
    at = due.set_index("response_id")["responded_at"]
    days = (log["when"] - log["response_id"].map(at).to_numpy()).dt.total_seconds() / 86_400
    assert (days >= 0).all() and (days <= fup.DELAY_MAX_DAYS).all()
    assert (log["when"] <= WINDOW_END).all()
    # responses more than six days before the last day cannot lose their follow-up to the end
    early = due[due["responded_at"] < WINDOW_END - pd.Timedelta(days=fup.DELAY_MAX_DAYS)]
    share = early["response_id"].isin(log["response_id"]).mean()
    assert _rate_ok(share, fup.FOLLOW_UP_SHARE, len(early))
    assert abs(days.median() - fup.DELAY_MEDIAN_DAYS) < 0.15  # lognormal median, ~3,000 rows
    assert 0.2 < (days > fup.SLA_DAYS).mean() < 0.45  # P(lognormal > 2 days) = 34%
    assert set(log["who"]) == set(fup.STAFF) and set(log["outcome"]) == set(fup.OUTCOMES)


def test_sample_readme_states_the_follow_up_log(samples):
    r = pd.read_csv(samples / "responses.csv", parse_dates=["responded_at"])
    log = pd.read_csv(samples / "follow_up.csv", parse_dates=["when"])
    f = follow_up_facts(r, log)
    text = (samples / "README.md").read_text(encoding="utf-8")
    assert f"{f['due']:,} responses; followed up: {f['rows']:,} ({f['share']:.1f}%" in text
    assert f"median {f['median_days']:.2f}" in text
    assert f"{f['breaches']:,} follow-ups" in text
    assert "Nothing is planted about later scores" in text
