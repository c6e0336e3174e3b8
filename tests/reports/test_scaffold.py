"""cxkit new-client: a client folder from the templates."""

import pytest
import yaml

from cxkit.cli import main
from cxkit.reports.config import ConfigError, load_config


def test_new_client_scaffold(tmp_path, capsys):
    assert main(["new-client", 'Acme "Retail"', "--dir", str(tmp_path)]) == 0
    folder = tmp_path / "acme-retail"
    assert sorted(p.name for p in folder.iterdir()) == [
        "client.yml",
        "data",
        "five_whys.yml",
        "hypotheses.yml",
        "mapping.yml",
    ]
    assert yaml.safe_load((folder / "client.yml").read_text())["client"] == 'Acme "Retail"'
    with pytest.raises(ConfigError, match=r"`data.responses.path` file not found"):
        load_config(folder / "client.yml")
    assert main(["new-client", 'Acme "Retail"', "--dir", str(tmp_path)]) == 2  # never overwrites
