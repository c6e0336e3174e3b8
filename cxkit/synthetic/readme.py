"""The README written beside the sample data: every planted truth, and what the files show."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cxkit.experiments import ab_test, power
from cxkit.synthetic import comments as cmt
from cxkit.synthetic import customers as cust
from cxkit.synthetic import experiments as expt
from cxkit.synthetic import followups as fup
from cxkit.synthetic import responses as resp
from cxkit.synthetic import tickets as tick
from cxkit.synthetic.messy import PLANTED
from cxkit.synthetic.vocab import (
    HOSTILE_COMMENTS,
    INCIDENT,
    INCIDENT_EMAIL_SLOWDOWN,
    POPULATION_SHARE,
    RESPONSE_SHARE,
    SEGMENTS,
    TOUCHPOINTS,
)

if TYPE_CHECKING:
    from cxkit.synthetic import SampleClient


def _nps(scores: pd.Series) -> float:
    """NPS in points: 100 * (share of 9-10 minus share of 0-6) among answers given."""
    s = scores.dropna()
    return 100.0 * (float((s >= 9).mean()) - float((s <= 6).mean()))


def _monthly_nps(responses: pd.DataFrame) -> str:
    month = responses["responded_at"].dt.strftime("%Y-%m")
    lines = [
        "| month | responses with NPS | NPS (unweighted) | planted incident |",
        "|---|---:|---:|---|",
    ]
    for m, group in responses.groupby(month)["nps"]:
        note = f"support −{INCIDENT[m][0]}, reach {INCIDENT[m][1]:.0%}" if m in INCIDENT else ""
        lines.append(f"| {m} | {group.notna().sum():,} | {_nps(group):.1f} | {note} |")
    return "\n".join(lines)


def driver_fit(responses: pd.DataFrame) -> np.ndarray:
    """Least-squares weights of the truth model's design on ``responses`` (one per touchpoint).

    Regresses NPS on an intercept, segment dummies and, per touchpoint, ``rating - mean``
    where rated and 0 where not: the design the data were generated from.
    """
    r = responses[responses["nps"].notna()]
    seg = r["segment"].cat.codes.to_numpy()
    columns = [np.ones(len(r)), (seg == 1).astype(float), (seg == 2).astype(float)]
    for tp in TOUCHPOINTS:
        x = r[f"rating_{tp.key}"].to_numpy(dtype="float64", na_value=np.nan)
        columns.append(np.where(np.isnan(x), 0.0, x - tp.mean))
    beta = np.linalg.lstsq(
        np.column_stack(columns), r["nps"].to_numpy(dtype="float64"), rcond=None
    )[0]
    return beta[3:]


def _drivers(responses: pd.DataFrame) -> str:
    fitted = driver_fit(responses)
    lines = [
        "| touchpoint | stage | reach | mean rating | planted weight | least squares on this file |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for tp, b in zip(TOUCHPOINTS, fitted, strict=True):
        lines.append(
            f"| rating_{tp.key} ({tp.en} / {tp.es}) | {tp.stage} | {tp.reach:.0%} | {tp.mean} "
            f"| {tp.weight} | {b:.2f} |"
        )
    return "\n".join(lines)


def _segments(lang: str) -> str:
    lines = [
        "| segment | population share | response share | weight | monthly churn | median revenue |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for i, name in enumerate(SEGMENTS[lang]):
        lines.append(
            f"| {name} | {POPULATION_SHARE[i]:.0%} | {RESPONSE_SHARE[i]:.0%} | "
            f"{resp.POST_STRATIFICATION[i]:.4f} | {cust.MONTHLY_CHURN[i]:.1%} | {cust.MEDIAN_REVENUE[i]:,.0f} |"
        )
    return "\n".join(lines)


def experiment_groups(responses: pd.DataFrame, name: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the control and treatment respondents of the planted experiment ``name``."""
    test = responses[responses["experiment"] == name]
    return test[test["variant"] == "control"], test[test["variant"] == "treatment"]


def _experiment_row(responses: pd.DataFrame, exp: expt.Experiment) -> str:
    control, treatment = experiment_groups(responses, exp.name)
    result = ab_test(control["nps"], treatment["nps"], metric="nps")
    scores = control["nps"].dropna()
    mix = {
        "promoters": 100 * float((scores >= 9).mean()),
        "passives": 100 * float(scores.between(7, 8).mean()),
        "detractors": 100 * float((scores <= 6).mean()),
    }
    detect = max(exp.nps_effect for exp in expt.EXPERIMENTS)
    chance = power(
        metric="nps", baseline=mix, minimum_effect=detect, n=result.n_control,
        ratio=result.n_treatment / result.n_control,
    )  # fmt: skip
    planted = f"{exp.nps_effect:+.0f} points" if exp.nps_effect else "none"
    return (
        f"| `{exp.name}` ({exp.what}) | {', '.join(exp.touchpoints)} | {exp.start} to {exp.end} "
        f"| {len(control):,} / {len(treatment):,} | {planted} "
        f"| {result.effect:+.1f} ({result.ci_low:+.1f} to {result.ci_high:+.1f}), "
        f"p = {result.p_value:.3g} | {chance:.0%} |"
    )


def _experiments(responses: pd.DataFrame) -> str:
    detect = max(exp.nps_effect for exp in expt.EXPERIMENTS)
    lines = [
        "| experiment | survey trigger | months | control / treatment | planted NPS effect "
        f"| measured in this file (95% CI), `cxkit.experiments.ab_test` | power for {detect:+.0f} points |",
        "|---|---|---|---:|---:|---|---:|",
    ]
    lines += [_experiment_row(responses, exp) for exp in expt.EXPERIMENTS]
    return "\n".join(lines)


def _ticket_facts(tickets: pd.DataFrame) -> str:
    first_h = (tickets["first_response_at"] - tickets["opened_at"]).dt.total_seconds() / 3600
    email = tickets["channel"].cat.codes == 0
    incident = tickets["opened_at"].dt.strftime("%Y-%m").isin(list(INCIDENT)[:3])
    fcr = (
        (tickets["contacts"] == 1) & (tickets["reopened"] == "no") & tickets["resolved_at"].notna()
    )
    return "\n".join(
        [
            f"- Median first response, email, incident months {', '.join(list(INCIDENT)[:3])}: "
            f"{first_h[email & incident].median():.1f} h; other months: {first_h[email & ~incident].median():.1f} h "
            f"(planted slowdown ×{INCIDENT_EMAIL_SLOWDOWN}).",
            f"- Planted medians (email, phone, chat): first response {tick.FIRST_RESPONSE_MEDIAN_H} h; "
            f"resolution after first response {tick.RESOLUTION_MEDIAN_H} h (lognormal, sigma {tick.RESOLUTION_SIGMA}).",
            f"- One contact: planted {tick.ONE_CONTACT:.0%}; reopen rate {tick.REOPEN_ONE_CONTACT:.0%} after one "
            f"contact, {tick.REOPEN_MORE:.0%} after more. Measured first-contact resolution "
            f"(resolved, one contact, not reopened): {fcr.mean():.1%}.",
            f"- Still open (empty `resolved_at`): {tickets['resolved_at'].isna().sum():,} tickets.",
        ]
    )


def _themes(responses: pd.DataFrame) -> str:
    truth = cmt.theme_truth(responses)
    lines = [
        "| theme | in themes.yml | planted: detractor / other comments | mentions in this file "
        "| measured: detractor / other comments | detractor share: with / without |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for row in truth.itertuples():
        listed = "no (for discovery)" if row.theme == cmt.MISSING_THEME else "yes"
        lines.append(
            f"| `{row.theme}` | {listed} | {row.planted_detractor:g}% / {row.planted_other:g}% "
            f"| {row.mentions:,} | {row.rate_detractor:.1f}% / {row.rate_other:.1f}% "
            f"| {row.detractor_share_with:.1f}% / {row.detractor_share_without:.1f}% |"
        )
    return "\n".join(lines)


def _comment_facts(responses: pd.DataFrame) -> str:
    text = responses["comment"]
    has_words = cmt.worded(text)
    given = text.notna().to_numpy()
    blank = given & ~has_words & (text.fillna("").str.strip() == "").to_numpy()
    return (
        f"{given.sum():,} comments ({given.mean():.1%} of responses): {has_words.sum():,} with "
        f"words, {(given & ~has_words & ~blank).sum():,} emoji only and {blank.sum():,} empty or "
        "white space only (which cxkit reads as no comment)"
    )


def _ticket_csat(tickets: pd.DataFrame) -> str:
    rated = tickets[tickets["csat"].notna()]
    lines = [
        "| agent | planted top-2-box | rated tickets | measured top-2-box (4-5) |",
        "|---|---:|---:|---:|",
    ]
    planted = {**tick.AGENT_TOP2, tick.NEW_AGENT: tick.NEW_AGENT_TOP2}
    for agent, scores in rated.groupby("agent")["csat"]:
        note = " (new agent: team average)" if agent == tick.NEW_AGENT else ""
        lines.append(
            f"| {agent} | {planted[agent]:.0%}{note} | {len(scores):,} | {(scores >= 4).mean():.1%} |"
        )
    return "\n".join(lines)


def follow_up_facts(responses: pd.DataFrame, follow_ups: pd.DataFrame) -> dict[str, float]:
    """Rows, responses due, share followed up, median days and 2-day SLA breaches of the log."""
    due = responses[fup.due_follow_up(responses)]
    at = due.set_index("response_id")["responded_at"]
    days = (follow_ups["when"] - follow_ups["response_id"].map(at).to_numpy()).dt.total_seconds()
    days = days / 86_400
    return {
        "rows": len(follow_ups),
        "due": len(due),
        "share": 100 * len(follow_ups) / max(len(due), 1),
        "median_days": float(days.median()),
        "breaches": int((days > fup.SLA_DAYS).sum()),
    }


def _follow_ups(responses: pd.DataFrame, follow_ups: pd.DataFrame) -> str:
    f = follow_up_facts(responses, follow_ups)
    return "\n".join(
        [
            f"- Due a follow-up (NPS 0-6 or CSAT 1-2, {fup.MONTHS[0]} to {fup.MONTHS[1]}): "
            f"{f['due']:,} responses; followed up: {f['rows']:,} ({f['share']:.1f}%; planted "
            f"{fup.FOLLOW_UP_SHARE:.0%}, less the follow-ups that would fall after the last day).",
            f"- Days from response to follow-up: median {f['median_days']:.2f} (planted lognormal, "
            f"median {fup.DELAY_MEDIAN_DAYS}, sigma {fup.DELAY_SIGMA}, at most {fup.DELAY_MAX_DAYS:g}); "
            f"{f['breaches']:,} follow-ups ({100 * f['breaches'] / max(f['rows'], 1):.1f}%) took more than "
            f"{fup.SLA_DAYS} days, breaching a {fup.SLA_DAYS}-day SLA.",
            f"- `who`: {', '.join(fup.STAFF)}; `outcome`: "
            + ", ".join(
                f"{o} ({s:.0%})" for o, s in zip(fup.OUTCOMES, fup.OUTCOME_SHARE, strict=True)
            )
            + ", each at random.",
            "- Nothing is planted about later scores: a follow-up changes nothing a customer answers "
            "afterwards, so a before/after comparison should find no effect beyond chance.",
        ]
    )


def _messy() -> str:
    lines = ["| row | what is wrong | reason cxkit gives |", "|---:|---|---|"]
    lines += [f"| {i + 4} | {what} | `{reason}` |" for i, what, reason in PLANTED]
    return "\n".join(lines)


def readme_text(client: SampleClient, messy_rows: int) -> str:
    """Markdown describing how the files were made and every truth planted in them."""
    r, t, c, o = client.responses, client.tickets, client.customers, client.orders
    hostile = ", ".join(
        f"`{r.loc[r['comment'] == text, 'response_id'].iat[0]}`" for text in HOSTILE_COMMENTS
    )
    churned = c["end_date"].notna().sum()
    return f"""# Sample data: a synthetic client

Made by `cxkit sample-data --out data/samples --rows {client.rows} --seed {client.seed} --lang {client.lang}`.
The same command always writes the same files. Everything here is invented; no real customer is in it.

| file | rows | what |
|---|---:|---|
| responses.csv | {len(r):,} | survey responses, {r["responded_at"].min():%Y-%m-%d} to {r["responded_at"].max():%Y-%m-%d} |
| tickets.csv | {len(t):,} | support tickets over the same two years |
| customers.csv | {len(c):,} | customers since {c["start_date"].min():%Y-%m-%d}, {churned:,} of them churned |
| orders.csv | {len(o):,} | orders while customers were active |
| follow_up.csv | {len(client.follow_ups):,} | the detractor follow-up log of the last three months |
| responses_messy_qualtrics.csv | {messy_rows} | a Qualtrics-style export with planted problems |
| responses_messy_qualtrics.mapping.yml | | its column mapping, picked up automatically |

## Survey responses

NPS comes from a latent likelihood to recommend:

    L = {resp.NPS_BASE} + segment effect + sum over rated touchpoints of weight * (rating - mean rating) + noise
    nps = clip(round(L), 0, 10),  noise ~ Normal(0, {resp.NPS_NOISE})

Segment effects (in the order below): {resp.SEGMENT_EFFECT}. Ratings (1-5) share a respondent-level
disposition, so they are correlated as real ratings are; the disposition reaches NPS only through the
ratings, so a regression of NPS on the ratings recovers the planted weights in order and proportion,
shrunk by about a fifth because NPS is rounded and capped at 10 ({(r["nps"] == 10).mean():.0%} of answers
are 10). Unrated touchpoints are empty. Each response's `touchpoint` (the survey
trigger) is always rated, and `stage` is that touchpoint's journey stage.

{_drivers(r)}

{_segments(client.lang)}

`weight` is the post-stratification weight (population share / response share) that restores the
population's segment mix. NPS is asked in 94% of responses, CSAT (1-5, driven by the same latent) in 85%,
CES (1-7, higher is easier) after sign-up, onboarding, billing and support only. About
{cmt.COMMENT_SHARE:.0%} of responses carry a comment, {1 - cmt.OTHER_LANGUAGE_SHARE:.0%} of them in the main
language and {cmt.OTHER_LANGUAGE_SHARE:.0%} in the other. In this file: {_comment_facts(r)}.

**Planted NPS dip and recovery**: a support incident lowers support ratings and raises how many
respondents rate support:

{_monthly_nps(r)}

Overall NPS (unweighted): {_nps(r["nps"]):.1f}.

**Planted A/B tests**: `experiment` names the test a respondent was in (empty otherwise) and
`variant` is `control` or `treatment`. One has a true effect on NPS, the other none:

{_experiments(r)}

The columns come from a random stream of their own (`numpy.random.default_rng([seed, {expt.STREAM}])`),
so every other column is what it would be without them. Because the NPS answers already exist, the
true effect is planted through the assignment: a respondent with NPS code c (+1 promoter, 0 passive,
−1 detractor) joins the treatment group with probability ½·(1 + a·(c − c̄)), with c̄ the mean code of
the test's respondents and a = effect / (2·variance of c). That gives the treatment group an NPS
higher by the planted effect in expectation: the same joint distribution of variant and NPS as a
randomized test with that true effect. CSAT and ratings, which go with NPS, tend to come out
higher in the treatment group too. Respondents without an NPS answer, and everyone in the invoice
test, are assigned by a fair coin. Power is `cxkit.experiments.power` for a two-sided 5% test at
the control group's answer mix and these group sizes (NPS answers only). A test of a true null
still shows some difference by chance; its interval should cover 0. The sample hypothesis
register, `hypotheses.yml`, holds both bets (H-001 the onboarding e-mail, H-002 the invoice
redesign): notebook 04 suggests `validated` for the first and not for the second, and says so.

**Planted hostile comments** (to test escaping and redaction in reports), in responses {hostile}
of the last month: a `<script>` tag with HTML and quotes, and two comments with e-mail addresses and
phone numbers.

**Planted comment themes**: comments are made of sentences in English and Spanish, each mentioning
one theme or none, with plurals and inflections, accents present and absent, some in lower case,
some ending with an emoji. A worded comment mentions each theme independently with the planted
probability for its author's NPS group (detractors, NPS 0-6; "other" is everyone else, including
responses without an NPS answer). `themes.yml` is the sample taxonomy: it lists every planted theme
but `{cmt.MISSING_THEME}` ("the box arrived crushed", "embalaje roto"), which theme discovery on the
comments no theme matches should find. Measured here by a plain regex over the planted sentences
(case and accents folded), among comments with words; detractor shares among those with an NPS answer:

{_themes(r)}

`billing` is tied to detractors, `app` is not (the same rate in every group), `delivery`, `support`
and `price` lean a little towards detractors. {cmt.NEGATED_SHARE:.0%} of worded comments also carry a
negated mention that must not count ("I was never charged twice", "No me cobraron de más", "Not
expensive at all", "Nunca necesité atención al cliente"). The comments come from a random stream of
their own (`numpy.random.default_rng([seed, {cmt.STREAM}])`), so every other column is what it would
be without them.

## Tickets

{_ticket_facts(t)}

**Planted satisfaction per agent**: `csat` (1-5) is the customer's rating of a ticket, empty when
unrated; {tick.CSAT_RATED_SHARE:.0%} of resolved tickets are rated ({t["csat"].notna().sum():,} tickets,
{t["csat"].notna().mean():.1%} of all), and a rating is 4 or 5 with the agent's planted probability.
{tick.NEW_AGENT} is a new agent with only {tick.NEW_AGENT_TICKETS} tickets in the last month, all rated 5;
the true rate behind them is the team's average, so empirical-Bayes shrinkage should pull {tick.NEW_AGENT}
back towards the team while barely moving the agents with hundreds of ratings. The ratings (and
{tick.NEW_AGENT}'s {tick.NEW_AGENT_TICKETS} tickets, the only change to `agent`) come from a random
stream of their own (`numpy.random.default_rng([seed, {tick.CSAT_STREAM}])`).

{_ticket_csat(t)}

## Follow-up log

`follow_up.csv` (`response_id, who, when, outcome`) records who called back which unhappy
respondent, when, and with what outcome. It comes from its own random stream
(`numpy.random.default_rng([seed, {fup.STREAM}])`).

{_follow_ups(r, client.follow_ups)}

## Customers and orders

Customers join more often as time goes on; lifetimes are exponential with the monthly churn above, and
`end_date` is empty while a customer is active. `revenue` is the customer's average monthly revenue
(lognormal around the segment median). Orders arrive as a Poisson process while a customer is active
({cust.ORDERS_PER_MONTH} orders a month by segment; amounts lognormal around {cust.MEDIAN_ORDER}).

## The messy export

`responses_messy_qualtrics.csv` has Qualtrics' three header rows (column ids, question texts, ImportId),
UTF-8 with BOM, metadata columns that cxkit ignores, answers as English and Spanish text labels
("10 - Extremely likely", "Muy satisfecho", "Totalmente de acuerdo"), some "N/A" effort answers (read as
empty), and these planted bad rows (row numbers as a spreadsheet shows them):

{_messy()}

`cxkit validate data/samples/responses_messy_qualtrics.csv` must report exactly these
{len(PLANTED)} quarantined rows.
"""
