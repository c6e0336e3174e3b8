"""cxkit batch: many clients, each failure kept to its client."""

import re

import yaml
from _configs import dying_client, write_config

from cxkit.cli import main


# ------------------------------------------------------------------------------------ batch
def test_batch_isolates_a_failing_client(tmp_path, capsys):
    good = write_config(tmp_path / "good", client="Good client")
    bad_data = tmp_path / "bad.csv"
    bad_data.write_text("nothing,useful\n1,2\n", encoding="utf-8")
    bad = write_config(tmp_path / "bad", client="Bad client", data={"responses": str(bad_data)})
    portfolio = tmp_path / "portfolio.yml"
    portfolio.write_text(yaml.safe_dump({"clients": [str(good), str(bad)]}), encoding="utf-8")
    assert main(["batch", str(portfolio), "--workers", "2"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"Good client\s+ok", out)
    # an unreadable export is a config error, found before any kernel starts
    assert re.search(
        r"Bad client\s+error .*`data.responses`: .*not found \(reading responses\)", out
    )
    assert "1 of 2 client(s) completed" in out
    assert (tmp_path / "good" / "out" / "good-client" / "2026-10" / "index.html").exists()


def test_a_worker_process_that_dies_is_its_clients_line_and_the_rest_go_on(tmp_path, capsys):
    """The pool breaks when a worker dies: the dying client is run again alone and named."""
    dies = dying_client(tmp_path)
    clients = [write_config(tmp_path / f"good{i}", client=f"Good client {i}") for i in range(3)]
    portfolio = tmp_path / "portfolio.yml"
    entries = [str(clients[0]), str(dies), str(clients[1]), str(clients[2])]
    portfolio.write_text(yaml.safe_dump({"clients": entries}), encoding="utf-8")
    assert main(["batch", str(portfolio), "--workers", "2"]) == 1
    out = capsys.readouterr().out
    assert re.search(r"Dying client\s+error .*its worker process died while running", out)
    for i in range(3):
        assert re.search(rf"Good client {i}\s+ok", out)
    assert "3 of 4 client(s) completed" in out
