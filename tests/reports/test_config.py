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
