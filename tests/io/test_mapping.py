"""Mapping files: validation messages, sidecar discovery, scales and labels."""

import pytest

from cxkit.errors import MappingError
from cxkit.io.mapping import Mapping, load_mapping


def test_from_dict_full():
    m = Mapping.from_dict(
        {
            "columns": {"Fecha": "responded_at", "Q1": "nps"},
            "ratings": {"Q5_1": "Onboarding", "Q5_2": "rating_billing"},
            "scales": {"csat": 7, "ratings": [0, 10]},
            "labels": {"csat": {"Encantado": 7}},
            "values": {"stage": {"Descubrimiento": "attract"}},
            "dates": {"dayfirst": True, "format": "%d/%m/%Y"},
            "decimal": ",",
        }
    )
    assert m.columns == {"Fecha": "responded_at", "Q1": "nps"}
    assert m.ratings == {"Q5_1": "rating_onboarding", "Q5_2": "rating_billing"}
    assert m.scale_for("csat", (1, 5)) == (1, 7)
    assert m.scale_for("rating_onboarding", (1, 5)) == (0, 10)
    assert m.scale_for("ces", (1, 7)) == (1, 7)
    assert m.labels_for("csat") == {"encantado": 7}
    assert m.values == {"stage": {"descubrimiento": "attract"}}
    assert (m.dayfirst, m.date_format, m.decimal) == (True, "%d/%m/%Y", ",")


def test_ratings_as_list():
    assert Mapping.from_dict({"ratings": ["Q7 Support"]}).ratings == {
        "Q7 Support": "rating_q7_support"
    }


@pytest.mark.parametrize(
    ("spec", "match"),
    [
        ({"colums": {}}, r"unknown key\(s\) \['colums'\]; allowed keys are \['kind', 'columns'"),
        ({"columns": ["a"]}, r"`columns` must be a mapping"),
        ({"scales": {"csat": 1}}, r"scale of 'csat' must be a top value"),
        ({"scales": {"csat": [5, 1]}}, r"scale of 'csat' must be a top value"),
        ({"labels": {"csat": {"Bien": "cuatro"}}}, r"score for 'Bien' must be a whole number"),
        ({"decimal": ";"}, r"`decimal` must be one of \['\.', ','\]"),
        ({"dates": {"day_first": True}}, r"unknown key\(s\) \['day_first'\] under `dates`"),
        ({"dates": {"dayfirst": "yes"}}, r"`dayfirst` has the wrong type"),
        ("just text", r"the file must hold a mapping of keys"),
    ],
)
def test_bad_mappings_name_the_problem(spec, match):
    with pytest.raises(MappingError, match=match):
        Mapping.from_dict(spec)


def test_yaml_file_and_errors(tmp_path):
    good = tmp_path / "m.yml"
    good.write_text("columns:\n  Fecha: responded_at\n", encoding="utf-8")
    assert load_mapping(good).columns == {"Fecha": "responded_at"}
    assert load_mapping(str(good)).source == str(good)
    broken = tmp_path / "broken.yml"
    broken.write_text("columns: [unclosed\n", encoding="utf-8")
    with pytest.raises(MappingError, match=r"broken.yml' is not valid YAML"):
        load_mapping(broken)
    with pytest.raises(MappingError, match=r"nope.yml' does not exist"):
        load_mapping(tmp_path / "nope.yml")


def test_sidecar_mapping_is_found(tmp_path):
    data = tmp_path / "export.csv"
    data.write_text("x\n1\n", encoding="utf-8")
    assert load_mapping(None, data) == Mapping()
    (tmp_path / "export.mapping.yml").write_text("columns: {x: nps}\n", encoding="utf-8")
    assert load_mapping(None, data).columns == {"x": "nps"}


def test_template_mapping_is_valid():
    from pathlib import Path

    template = Path(__file__).resolve().parents[2] / "templates" / "mapping.yml"
    m = load_mapping(template)
    assert m.columns["Q1"] == "nps"
    assert m.ratings["Q5_1"] == "rating_onboarding"
