"""cxkit new-client: a client folder from the templates."""

import pytest
import yaml
from _configs import SAMPLES

from cxkit._resources import TEMPLATES
from cxkit.cli import main
from cxkit.reports.config import ConfigError, load_config
from cxkit.touchpoints import load_catalog


def test_new_client_scaffold(tmp_path, capsys):
    assert main(["new-client", 'Acme "Retail"', "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "acme-retail"
    assert sorted(p.name for p in folder.iterdir()) == [
        "client.yml",
        "data",
        "five_whys.yml",
        "follow_up.yml",
        "hypotheses.yml",
        "mapping.yml",
        "themes.yml",
        "touchpoints.yml",
    ]
    spec = yaml.safe_load((folder / "client.yml").read_text())
    assert spec["client"] == 'Acme "Retail"'
    assert spec["touchpoints"] == "touchpoints.yml"
    with pytest.raises(ConfigError, match=r"`data.responses.path` file not found"):
        load_config(folder / "client.yml")
    assert main(["new-client", 'Acme "Retail"', "--dir", str(tmp_path)]) == 2  # never overwrites


def test_the_new_clients_follow_up_log_is_empty_and_reads(tmp_path, capsys):
    from cxkit._followuplog import read_log

    assert main(["new-client", "Acme", "--dir", str(tmp_path)]) == 0
    text = (tmp_path / "acme" / "follow_up.yml").read_text(encoding="utf-8")
    assert text.startswith("# Detractor follow-up log for Acme: one item per call")
    assert read_log(tmp_path / "acme" / "follow_up.yml").empty  # the example is commented out


def test_the_new_clients_theme_taxonomy_is_the_template_and_the_config_loads_it(tmp_path, capsys):
    from cxkit.themes import load_taxonomy

    assert main(["new-client", "Acme", "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "acme"
    written = load_taxonomy(folder / "themes.yml")
    assert written.keys == load_taxonomy(TEMPLATES / "themes.yml").keys
    spec = yaml.safe_load((folder / "client.yml").read_text(encoding="utf-8"))
    assert (spec["themes"], spec["follow_up"]) == ("themes.yml", "follow_up.yml")
    assert "05_voice_of_customer" in spec["notebooks"]


def test_the_new_clients_touchpoint_catalog_is_the_template_and_loads(tmp_path, capsys):
    assert main(["new-client", "Acme", "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "acme"
    written = (folder / "touchpoints.yml").read_text(encoding="utf-8")
    assert written == (TEMPLATES / "touchpoints.yml").read_text(encoding="utf-8")
    catalog = load_catalog(folder / "touchpoints.yml")
    assert catalog.table("en")["driver"].tolist() == ["rating_onboarding", "rating_billing"]
    for kind in ("responses", "tickets", "customers", "orders"):  # the README walkthrough's data
        (folder / "data" / f"{kind}.csv").write_bytes((SAMPLES / f"{kind}.csv").read_bytes())
    assert load_config(folder / "client.yml").touchpoints == (folder / "touchpoints.yml").resolve()
