"""The touchpoint catalog: loading, names in both languages, errors, defaults, fitting to data."""

import re
from pathlib import Path

import pandas as pd
import pytest

import cxkit as cx
from cxkit.synthetic.vocab import TOUCHPOINTS
from cxkit.touchpoints import CATALOG_COLUMNS, CatalogError, TouchpointCatalog, load_catalog

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


@pytest.fixture
def catalog_file(write):
    """Write a catalog whose entries are the given YAML lines."""

    def _catalog(*entries: str) -> Path:
        return write("touchpoints.yml", "touchpoints:\n" + "".join(f"{e}\n" for e in entries))

    return _catalog


# ------------------------------------------------------------------------------- the sample
def test_the_sample_catalog_is_the_synthetic_generators_touchpoints(samples):
    catalog = cx.load_catalog(samples / "touchpoints.yml")
    expected = pd.DataFrame(
        [(f"rating_{tp.key}", tp.en, tp.es, tp.stage) for tp in TOUCHPOINTS],
        columns=list(CATALOG_COLUMNS),
    )
    pd.testing.assert_frame_equal(catalog.frame, expected)
    assert len(catalog.frame) == 12


def test_the_sample_catalog_names_and_stages(samples):
    """The names and stages of data/samples/README.md's touchpoint table."""
    catalog = cx.load_catalog(samples / "touchpoints.yml")
    assert catalog.names("en")["rating_pricing"] == "Pricing & quote"
    assert catalog.names("es")["rating_pricing"] == "Precios y presupuesto"
    stages = catalog.frame.groupby("stage", sort=False)["driver"].count()
    assert stages.to_dict() == {"attract": 2, "accept": 2, "adopt": 3, "amplify": 2, "advance": 3}


def test_the_sample_catalog_covers_the_sample_responses_exactly(samples):
    responses = cx.read_responses(samples / "responses.csv").data
    assert sorted(cx.rating_columns(responses)) == sorted(f"rating_{tp.key}" for tp in TOUCHPOINTS)
    catalog = cx.load_catalog(samples / "touchpoints.yml")
    resolved, notes = catalog.resolve(responses.columns)
    assert notes == []
    pd.testing.assert_frame_equal(resolved.frame, catalog.frame)  # in the catalog's order


def test_the_template_loads():
    catalog = load_catalog(TEMPLATES / "touchpoints.yml")
    assert catalog.table("es").to_dict("records") == [
        {"driver": "rating_onboarding", "touchpoint": "Bienvenida", "stage": "adopt"},
        {"driver": "rating_billing", "touchpoint": "Facturación", "stage": "advance"},
    ]


# ---------------------------------------------------------------------------- names, stages
def test_names_in_both_languages_a_single_text_and_fallbacks(catalog_file):
    path = catalog_file(
        "  - {column: rating_onboarding, name: {en: Onboarding, es: Bienvenida}, stage: adopt}",
        "  - {column: rating_support, name: Support, stage: advance}",
        "  - {column: rating_app, name: {en: Mobile app}, stage: adopt}",
        "  - {column: rating_tienda, name: {es: Tienda}, stage: accept}",
        "  - {column: rating_home_visit, stage: advance}",
    )
    catalog = load_catalog(path)
    assert catalog.names("en") == {
        "rating_onboarding": "Onboarding",
        "rating_support": "Support",
        "rating_app": "Mobile app",
        "rating_tienda": "Tienda",
        "rating_home_visit": "Home visit",
    }
    assert list(catalog.names("es").values()) == [
        "Bienvenida",
        "Support",
        "Mobile app",
        "Tienda",
        "Home visit",
    ]
    assert catalog.source == str(path)


def test_table_has_one_language(catalog_file):
    catalog = load_catalog(
        catalog_file("  - {column: rating_a, name: {en: A, es: B}, stage: adopt}")
    )
    table = catalog.table("es")
    assert list(table.columns) == ["driver", "touchpoint", "stage"]
    assert table.iloc[0].tolist() == ["rating_a", "B", "adopt"]
    with pytest.raises(cx.CxkitError, match=r"`lang` must be one of 'en', 'es'; got 'fr'"):
        catalog.table("fr")
    with pytest.raises(cx.CxkitError, match=r"`lang` must be one of 'en', 'es'; got 'de'"):
        catalog.names("de")


def test_stages_are_matched_as_the_readers_match_them(catalog_file):
    path = catalog_file(
        "  - {column: rating_a, stage: Adopt}",
        "  - {column: rating_b, stage: adopción}",
        "  - {column: rating_c, stage: ' ATRACCIÓN '}",
    )
    assert load_catalog(path).frame["stage"].tolist() == ["adopt", "adopt", "attract"]


def test_an_empty_list_is_an_empty_catalog(catalog_file):
    catalog = load_catalog(catalog_file(" []"))
    assert list(catalog.frame.columns) == list(CATALOG_COLUMNS)
    assert catalog.frame.empty


# ------------------------------------------------------------------------------------ errors
def test_a_missing_file(tmp_path):
    with pytest.raises(CatalogError, match=r"'.*nowhere.yml' does not exist.*templates/touch"):
        load_catalog(tmp_path / "nowhere.yml")


def test_not_yaml(write):
    path = write("touchpoints.yml", "touchpoints: [\n")
    with pytest.raises(CatalogError, match=r"'.*touchpoints.yml' is not valid YAML"):
        load_catalog(path)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("- column: rating_a\n", "found a list at the top of the file"),
        ("", "found nothing at the top of the file"),
        ("touchpoint:\n  - column: rating_a\n", r"found the key\(s\) \['touchpoint'\] but no"),
        ("touchpoints:\n", "found `touchpoints:` holding nothing"),
        ("touchpoints: rating_a\n", "found `touchpoints:` holding the str 'rating_a'"),
        ("touchpoints: []\nclient: x\n", r"found unknown top-level key\(s\) \['client'\] beside"),
    ],
)
def test_the_top_level_must_be_a_touchpoints_list(write, text, found):
    path = write("touchpoints.yml", text)
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert (
        f"Touchpoint catalog {str(path)!r}: expected one top-level key, `touchpoints:`" in message
    )
    assert re.search(found, message)
    assert "Write a `touchpoints:` line and the entries, indented, under it" in message


def test_a_bad_stage_names_file_entry_column_value_and_the_allowed_stages(catalog_file):
    path = catalog_file(
        "  - {column: rating_a, stage: adopt}",
        "  - {column: rating_support, stage: aftercare}",
    )
    with pytest.raises(
        CatalogError,
        match=(
            r"Touchpoint catalog '.*touchpoints.yml' has 1 problem\(s\): entry 2 "
            r"\(rating_support\): `stage` is 'aftercare', not a journey stage; write one of "
            r"attract, accept, adopt, amplify, advance\nSee templates/touchpoints.yml"
        ),
    ):
        load_catalog(path)


def test_a_missing_stage(catalog_file):
    with pytest.raises(
        CatalogError,
        match=r"'.*touchpoints.yml' .* entry 1 \(rating_a\) has no `stage`; add `stage:` with one",
    ):
        load_catalog(catalog_file("  - {column: rating_a, name: A}"))


def test_a_missing_column(catalog_file):
    with pytest.raises(
        CatalogError,
        match=r"'.*touchpoints.yml' .* entry 1 has no `column`; add the rating column it",
    ):
        load_catalog(catalog_file("  - {name: Onboarding, stage: adopt}"))


def test_a_column_that_is_not_a_rating_column(catalog_file):
    with pytest.raises(
        CatalogError,
        match=(
            r"'.*touchpoints.yml' .* entry 1: `column` must be a canonical rating column starting "
            r"with 'rating_'; found 'Q5_1'\. Write the name cxkit reads it as"
        ),
    ):
        load_catalog(catalog_file("  - {column: Q5_1, stage: adopt}"))


def test_duplicate_columns_name_both_entries(catalog_file):
    path = catalog_file(
        "  - {column: rating_a, stage: adopt}",
        "  - {column: rating_b, stage: adopt}",
        "  - {column: rating_a, stage: advance}",
    )
    with pytest.raises(
        CatalogError,
        match=r"'.*touchpoints.yml' .*: entries 1 and 3 both describe column 'rating_a'; keep one",
    ):
        load_catalog(path)


def test_unknown_keys_are_named(catalog_file):
    path = catalog_file("  - {column: rating_a, stage: adopt, colour: red, weight: 2}")
    with pytest.raises(
        CatalogError,
        match=(
            r"'.*touchpoints.yml' .*: entry 1 \(rating_a\): unknown key\(s\) "
            r"\['colour', 'weight'\]; allowed keys are \['column', 'name', 'stage'\]\. "
            r"Remove or rename them"
        ),
    ):
        load_catalog(path)


def test_unknown_languages_and_names_that_are_not_text(catalog_file):
    path = catalog_file(
        "  - {column: rating_a, stage: adopt, name: {en: A, fr: B}}",
        "  - {column: rating_b, stage: adopt, name: 2024}",
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert "has 2 problem(s)" in message
    assert (
        "entry 1 (rating_a): unknown language(s) ['fr'] under `name`; allowed are ['en', 'es']"
        in message
    )
    assert (
        "entry 2 (rating_b): `name` must be a text or {en: text, es: text}; found 2024. "
        "Write the name in quotes" in message
    )


def test_every_problem_is_listed_with_its_entry(catalog_file):
    path = catalog_file(
        "  - {column: rating_a, stage: adoption}",
        "  - just text",
        "  - {column: rating_c}",
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert message.startswith(f"Touchpoint catalog {str(path)!r} has 3 problem(s): entry 1 ")
    assert (
        "\n  - entry 2 must be a mapping with keys ['column', 'name', 'stage']; found " in message
    )
    assert (
        "the str 'just text'. Write it as `- column: rating_..., name: ..., stage: ...`" in message
    )
    assert "\n  - entry 3 (rating_c) has no `stage`" in message


def test_catalog_errors_are_cxkit_errors():
    assert issubclass(cx.CatalogError, cx.CxkitError)


def test_a_frame_with_other_columns_is_refused():
    with pytest.raises(CatalogError, match=r"must have the columns \['driver', 'touchpoint_en'"):
        TouchpointCatalog(pd.DataFrame({"driver": ["rating_a"]}))


# ------------------------------------------------------------------------ defaults, resolve
def test_the_default_catalog_names_columns_after_themselves():
    catalog = TouchpointCatalog.default(["rating_mobile_app", "rating_nps_web", "overall"])
    assert catalog.frame.to_dict("records") == [
        {
            "driver": "rating_mobile_app",
            "touchpoint_en": "Mobile app",
            "touchpoint_es": "Mobile app",
            "stage": "unknown",
        },
        {
            "driver": "rating_nps_web",
            "touchpoint_en": "Nps web",
            "touchpoint_es": "Nps web",
            "stage": "unknown",
        },
        {
            "driver": "overall",
            "touchpoint_en": "Overall",
            "touchpoint_es": "Overall",
            "stage": "unknown",
        },
    ]
    assert catalog.source == "<default>"


def test_resolve_notes_entries_missing_from_the_export_and_columns_missing_from_the_catalog(
    catalog_file,
):
    path = catalog_file(
        "  - {column: rating_onboarding, name: {en: Onboarding, es: Bienvenida}, stage: adopt}",
        "  - {column: rating_ads, name: Advertising, stage: attract}",
        "  - {column: rating_support, name: {en: Support, es: Soporte}, stage: advance}",
        "  - {column: rating_renewal, name: Renewal, stage: advance}",
    )
    data = pd.DataFrame(
        columns=["nps", "rating_kiosk", "rating_support", "rating_onboarding", "rating_home_visit"]
    )
    resolved, notes = load_catalog(path).resolve(data.columns)
    assert resolved.table("es").to_dict("records") == [
        {"driver": "rating_onboarding", "touchpoint": "Bienvenida", "stage": "adopt"},
        {"driver": "rating_support", "touchpoint": "Soporte", "stage": "advance"},
        {"driver": "rating_kiosk", "touchpoint": "Kiosk", "stage": "unknown"},
        {"driver": "rating_home_visit", "touchpoint": "Home visit", "stage": "unknown"},
    ]
    assert resolved.source == str(path)
    assert notes == [
        f"Not in this export: Advertising (rating_ads), Renewal (rating_renewal). The touchpoint "
        f"catalog ({path}) lists them, but the data has no such column, so they are left out.",
        f"Not in the touchpoint catalog ({path}): rating_kiosk, rating_home_visit. Shown with a "
        "name made from the column name and stage 'unknown'; add them to the catalog to give a "
        "name and a journey stage.",
    ]


def test_resolve_in_the_singular_and_with_nothing_to_say(catalog_file):
    path = catalog_file("  - {column: rating_a, name: A, stage: adopt}")
    catalog = load_catalog(path)
    _, notes = catalog.resolve(["rating_b"])
    assert "Not in this export: A (rating_a). " in notes[0]
    assert "lists it, but the data has no such column, so it is left out." in notes[0]
    assert "add it to the catalog" in notes[1]
    same, notes = catalog.resolve(["rating_a", "nps"])
    assert notes == []
    pd.testing.assert_frame_equal(same.frame, catalog.frame)


def test_rating_columns_in_order():
    frame = pd.DataFrame(columns=["response_id", "rating_b", "nps", "rating_a", "ratings"])
    assert cx.rating_columns(frame) == ["rating_b", "rating_a"]


def test_repr_and_html(samples):
    catalog = cx.load_catalog(samples / "touchpoints.yml")
    assert repr(catalog).startswith("TouchpointCatalog\n")
    assert "Precios y presupuesto" in repr(catalog)
    assert "Pricing &amp; quote" in catalog._repr_html_()
    assert list(catalog.summary.columns) == list(CATALOG_COLUMNS)


def test_a_duplicate_is_found_even_when_the_first_entry_has_another_problem(catalog_file):
    path = catalog_file(
        "  - {column: rating_a, stage: later}",
        "  - {column: rating_a, stage: adopt}",
    )
    with pytest.raises(CatalogError) as info:
        load_catalog(path)
    message = str(info.value)
    assert "has 2 problem(s): entry 1 (rating_a): `stage` is 'later'" in message
    assert "\n  - entries 1 and 2 both describe column 'rating_a'; keep one of them" in message


def test_resolve_notes_of_a_catalog_without_a_file():
    _, notes = TouchpointCatalog.default(["rating_a"]).resolve(["rating_b"])
    assert notes == [
        "Not in this export: A (rating_a). The default catalog lists it, but the data has no "
        "such column, so it is left out.",
        "No touchpoint catalog describes rating_b: shown with a name made from the column name "
        "and stage 'unknown'. Give the client a touchpoints.yml (see templates/touchpoints.yml) "
        "to name the touchpoints and give their journey stage.",
    ]
