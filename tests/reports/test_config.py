"""Client configuration: every problem listed before anything runs."""

import re

import pytest
from _configs import SAMPLES, write_config

from cxkit.reports.config import ConfigError, load_config


# ----------------------------------------------------------------------------- configuration
def test_config_errors_are_all_listed(tmp_path):
    path = write_config(
        tmp_path,
        colour="blue",
        period="October",
        language="fr",
        notebooks=["00_quick", "42_missing"],
        data={"responses": "nowhere.csv", "surveys": "x.csv"},
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "has 6 problem(s)" in message
    assert "unknown key(s) ['colour']; allowed keys are ['client'" in message
    assert "unknown notebook(s) ['42_missing']; available: ['00_quick', '99_fails']" in message
    assert re.search(r"`data.responses.path` file not found: '.*nowhere.csv'", message)
    assert (
        "unknown data kind 'surveys'; allowed: ['responses', 'tickets', 'customers', 'orders']"
        in message
    )
    assert (
        "`period` must be a month (2026-10), quarter (2026Q4) or year (2026); got 'October'"
        in message
    )
    assert "`language` must be one of 'en', 'es'; got 'fr'" in message


def test_unknown_and_reserved_notebook_parameters(tmp_path):
    path = write_config(tmp_path, parameters={"00_quick": {"nope": 1, "client": "x"}})
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    expected = "`parameters.00_quick`: unknown parameter(s) ['nope']; the notebook declares"
    assert expected + " ['client', 'lang'" in message
    assert "['client'] are set by the runner" in message


def test_currency_and_timezone_are_checked(tmp_path):
    path = write_config(tmp_path, currency="euros", timezone="Mars/Olympus")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert "`currency` must be an ISO 4217 code such as EUR or USD; got 'euros'" in message
    assert "`timezone` must be a time zone name such as Europe/Madrid" in message
    good = load_config(write_config(tmp_path, currency="eur", timezone="America/Bogota"))
    assert (good.currency, good.timezone) == ("EUR", "America/Bogota")


def test_check_data_lists_every_export_that_cannot_be_used(tmp_path):
    from cxkit.reports.config import check_data

    bad = tmp_path / "tickets.csv"
    bad.write_text("nothing,useful\n1,2\n", encoding="utf-8")
    data = {"responses": str(SAMPLES / "responses.csv"), "tickets": str(bad)}
    config = load_config(write_config(tmp_path, period="2026-11", data=data))
    with pytest.raises(ConfigError) as info:
        check_data(config)
    message = str(info.value)
    assert "2 export(s) cannot be used for 2026-11" in message
    assert "`data.responses`: the responses export" in message
    assert "it covers 2024-11-01 to 2026-10-31" in message  # the sample export's range
    assert "`data.tickets`: " in message and "not found (reading tickets)" in message


# ------------------------------------------------------------------------ touchpoint catalog
def test_the_touchpoint_catalog_path_is_relative_to_the_config(tmp_path):
    (tmp_path / "catalogs").mkdir()
    catalog = tmp_path / "catalogs" / "touchpoints.yml"
    catalog.write_text((SAMPLES / "touchpoints.yml").read_text(encoding="utf-8"), "utf-8")
    config = load_config(write_config(tmp_path, touchpoints="catalogs/touchpoints.yml"))
    assert config.touchpoints == catalog.resolve()
    assert load_config(write_config(tmp_path)).touchpoints is None  # the key is optional
    assert load_config(SAMPLES / "client.yml").touchpoints == SAMPLES / "touchpoints.yml"


def test_a_missing_touchpoint_catalog_names_the_config_and_the_key(tmp_path):
    path = write_config(tmp_path, touchpoints="nowhere.yml")
    with pytest.raises(
        ConfigError,
        match=(
            r"Client config '.*client.yml' has 1 problem\(s\): `touchpoints` file not found: "
            r"'.*nowhere.yml'; copy templates/touchpoints.yml there and fill it in, or remove"
        ),
    ):
        load_config(path)


def test_the_touchpoint_catalog_must_be_a_path(tmp_path):
    path = write_config(tmp_path, touchpoints=["rating_a"])
    with pytest.raises(
        ConfigError,
        match=r"`touchpoints` must be the path of the client's touchpoint catalog, such as ",
    ):
        load_config(path)


def test_a_bad_touchpoint_catalog_is_a_config_problem_with_the_catalogs_own_problems(tmp_path):
    (tmp_path / "touchpoints.yml").write_text(
        "touchpoints:\n"
        "  - {column: rating_a, stage: later}\n"
        "  - {column: rating_a, stage: adopt}\n",
        encoding="utf-8",
    )
    path = write_config(tmp_path, touchpoints="touchpoints.yml", language="fr")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert re.match(r"Client config '.*client.yml' has 2 problem\(s\): `touchpoints`: ", message)
    assert "Touchpoint catalog '" in message and "touchpoints.yml' has 2 problem(s): " in message
    assert "entry 1 (rating_a): `stage` is 'later', not a journey stage; write one of" in message
    # the catalog's own list is indented under the config's problem
    assert "\n      - entries 1 and 2 both describe column 'rating_a'; keep one" in message
    assert "\n  - `language` must be one of 'en', 'es'; got 'fr'" in message


def test_touchpoints_path_is_set_by_the_runner(tmp_path):
    path = write_config(tmp_path, parameters={"00_quick": {"touchpoints_path": "mine.yml"}})
    with pytest.raises(ConfigError, match=r"\['touchpoints_path'\] are set by the runner"):
        load_config(path)
