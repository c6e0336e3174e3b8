"""Comment-themes benchmark: tag 1,000,000 comments with a 30-theme taxonomy.

Run:  .venv/bin/python benchmarks/bench_themes.py [--rows 1000000] [--repeat 3]
      [--baseline-rows 1000000]

Data (seeded): comments of 6-25 words drawn from an English and a Spanish vocabulary (about
half of each, so almost every comment is distinct), with a taxonomy phrase planted in about
40% of them, some inflected ("invoices", "cobraron") or with accents and capitals, and some
with a negation before it. The taxonomy has 30 themes with three English and three Spanish
phrases each (180 phrases, some of them ``word*`` prefixes).

Timed side by side on the same data:

- cxkit tagging: normalize + tokenize, detect each comment's language, stem the vocabulary and
  match every phrase (the tagging inside ``cx.themes``);
- cxkit ``themes()``: the whole call (tagging, counts, detractor table, quotes);
- baseline: the loop an analyst would write, one ``Series.str.contains(regex, case=False)``
  per phrase (words joined by ``\\W+``, ``\\b`` boundaries, ``word*`` as ``word\\w*``), OR-ed
  per theme. It does less than cxkit (no accents, stems or negation).
"""

from __future__ import annotations

import argparse
import platform
import re
import subprocess
import time

import numpy as np
import pandas as pd

EN_WORDS = [
    "service",
    "order",
    "account",
    "product",
    "price",
    "team",
    "store",
    "website",
    "phone",
    "support",
    "agent",
    "manager",
    "time",
    "week",
    "month",
    "customer",
    "experience",
    "quality",
    "staff",
    "email",
    "message",
    "answer",
    "problem",
    "issue",
    "request",
    "update",
    "shipment",
    "package",
    "box",
    "item",
    "size",
    "color",
    "plan",
    "contract",
    "offer",
    "discount",
    "store",
    "call",
    "help",
    "really",
    "always",
    "quite",
    "still",
    "again",
    "today",
    "yesterday",
    "good",
    "great",
    "slow",
    "fast",
    "easy",
    "hard",
    "happy",
    "sad",
]
ES_WORDS = [
    "servicio",
    "pedido",
    "cuenta",
    "producto",
    "precio",
    "equipo",
    "tienda",
    "web",
    "telefono",
    "soporte",
    "agente",
    "gerente",
    "tiempo",
    "semana",
    "mes",
    "cliente",
    "experiencia",
    "calidad",
    "personal",
    "correo",
    "mensaje",
    "respuesta",
    "problema",
    "solicitud",
    "envio",
    "paquete",
    "caja",
    "articulo",
    "talla",
    "color",
    "plan",
    "contrato",
    "oferta",
    "descuento",
    "llamada",
    "ayuda",
    "siempre",
    "todavia",
    "otra",
    "hoy",
    "ayer",
    "bueno",
    "genial",
    "lento",
    "rapido",
    "facil",
    "dificil",
    "contento",
    "triste",
]
EN_FUNCTION = [
    "the",
    "and",
    "is",
    "was",
    "it",
    "to",
    "i",
    "my",
    "of",
    "in",
    "for",
    "with",
    "that",
    "this",
    "they",
]
ES_FUNCTION = [
    "el",
    "la",
    "los",
    "de",
    "que",
    "y",
    "en",
    "un",
    "una",
    "es",
    "por",
    "con",
    "para",
    "mi",
    "lo",
    "se",
]
THEME_EN = [
    ("charged twice", "charged twice", "charged twice"),
    ("wrong invoice", "wrong invoices", "Wrong invoice"),
    ("overcharg*", "overcharged", "overcharging"),
]
THEME_ES = [
    ("cobro doble", "cobraron doble", "cobro doble"),
    ("factura incorrecta", "facturas incorrectas", "factura incorrecta"),
    ("reembols*", "reembolso", "reembolsaron"),
]


def taxonomy(n_themes: int = 30) -> dict:
    """Return a taxonomy of ``n_themes`` themes with 3 English and 3 Spanish phrases each."""
    rng = np.random.default_rng(7)
    themes = {}
    for t in range(n_themes):
        en = [f"{rng.choice(EN_WORDS)} {_nonce(t, i, 'en')}" for i in range(2)]
        es = [f"{_nonce(t, i, 'es')} {rng.choice(ES_WORDS)}" for i in range(2)]
        en.append(f"{_nonce(t, 9, 'en')[:6]}*")
        es.append(f"{_nonce(t, 9, 'es')[:6]}*")
        themes[f"theme_{t:02d}"] = {
            "label": {"en": f"Theme {t}", "es": f"Tema {t}"},
            "en": en if t else [p for p, _, _ in THEME_EN],
            "es": es if t else [p for p, _, _ in THEME_ES],
        }
    return {"themes": themes}


def _nonce(theme: int, i: int, lang: str) -> str:
    """A content word of its own for each phrase (theme vocabularies do not overlap)."""
    stems = ["delay", "refund", "login", "crash", "rude", "noise", "leak", "broken", "lost", "wait"]
    es = ["retraso", "acceso", "fallo", "grosero", "ruido", "fuga", "roto", "perdido", "espera"]
    base = (stems if lang == "en" else es)[(theme + i) % (10 if lang == "en" else 9)]
    return f"{base}{chr(97 + theme % 26)}{chr(97 + (theme * 7 + i) % 26)}zzx"


def comments(rows: int, tax: dict) -> pd.Series:
    """Return ``rows`` generated comments (seeded), mostly distinct."""
    rng = np.random.default_rng(42)
    spanish = rng.random(rows) < 0.5
    lengths = rng.integers(6, 26, rows)
    plant = rng.random(rows) < 0.4
    negate = rng.random(rows) < 0.05
    themes = list(tax["themes"].values())
    picks = rng.integers(0, len(themes), rows)
    which = rng.integers(0, 3, rows)
    out = []
    en_words, es_words = np.array(EN_WORDS + EN_FUNCTION), np.array(ES_WORDS + ES_FUNCTION)
    for r in range(rows):
        words = list(rng.choice(es_words if spanish[r] else en_words, lengths[r]))
        if plant[r]:
            phrase = themes[picks[r]]["es" if spanish[r] else "en"][which[r]].rstrip("*")
            if negate[r]:
                phrase = ("no " if spanish[r] else "never ") + phrase
            words.insert(int(lengths[r]) // 2, phrase.upper() if r % 17 == 0 else phrase)
        out.append(" ".join(words) + ("." if r % 3 else "!"))
    return pd.Series(out, name="comment")


def baseline(texts: pd.Series, tax: dict) -> pd.DataFrame:
    """One ``str.contains`` per phrase, OR-ed per theme."""
    out = {}
    for key, theme in tax["themes"].items():
        hit = pd.Series(False, index=texts.index)
        for phrase in theme["en"] + theme["es"]:
            words = [
                re.escape(w.rstrip("*")) + (r"\w*" if w.endswith("*") else "")
                for w in phrase.split()
            ]
            hit |= texts.str.contains(r"\b" + r"\W+".join(words) + r"\b", case=False, regex=True)
        out[key] = hit
    return pd.DataFrame(out)


def cxkit_tagging(texts: pd.Series, tax):
    from cxkit.themes._match import tag_tokens
    from cxkit.themes._normalize import tokenize
    from cxkit.themes._themes import _applies, _languages, _text_array

    frame = texts.to_frame()
    array = _text_array(frame, "comment")
    tokens = tokenize(array)
    commented = tokens.words > 0
    languages = _languages(tokens, commented, "auto")
    return tag_tokens(tokens, len(frame), tax, _applies(languages, "auto"))


def timed(fn, repeat: int):
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return times, result


def machine() -> str:
    cpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in cpu.splitlines()
            if line.startswith("Model name")
        ),
        platform.processor(),
    )
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    return f"{platform.machine()} {model}, {cores} cores, Python {platform.python_version()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--baseline-rows", type=int, default=None)
    args = parser.parse_args()
    from cxkit.themes import Taxonomy, themes

    spec = taxonomy()
    tax = Taxonomy.from_dict(spec)
    start = time.perf_counter()
    texts = comments(args.rows, spec)
    print(f"machine: {machine()}; pandas {pd.__version__}")
    print(
        f"generated {len(texts):,} comments ({texts.nunique():,} distinct) in "
        f"{time.perf_counter() - start:.1f} s"
    )
    tag_times, tags = timed(lambda: cxkit_tagging(texts, tax), args.repeat)
    print("cxkit tagging:", ", ".join(f"{t:.2f} s" for t in tag_times))
    frame = pd.DataFrame({"comment": texts, "nps": np.arange(len(texts)) % 11})
    call_times, result = timed(lambda: themes(frame, taxonomy=tax), 1)
    print(f"cxkit themes(): {call_times[0]:.2f} s")
    base_rows = args.baseline_rows or args.rows
    base_times, base = timed(lambda: baseline(texts.iloc[:base_rows], spec), 1)
    scale = len(texts) / base_rows
    print(
        f"baseline str.contains on {base_rows:,} rows: {base_times[0]:.2f} s"
        + (f" (x{scale:.0f} = {base_times[0] * scale:.1f} s)" if scale != 1 else "")
    )
    print(
        f"speed-up (best cxkit tagging vs baseline): {base_times[0] * scale / min(tag_times):.1f}x"
    )
    mentioned = tags.any(axis=1).mean() * 100
    agree = (tags[:base_rows] == base.to_numpy()).all(axis=1).mean() * 100
    print(
        f"comments with a theme: {mentioned:.1f}%; rows where cxkit and baseline agree: "
        f"{agree:.1f}% (they differ by design on inflections, negations and sentence ends)"
    )
    print(result.counts)


if __name__ == "__main__":
    main()
