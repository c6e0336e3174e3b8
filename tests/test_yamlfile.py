"""Human-edited YAML files: a missing file and a syntax error are named, with line and column."""

import pytest

from cxkit._yamlfile import read_yaml
from cxkit.errors import MappingError


def test_syntax_error_names_line_and_column(write):
    # line 3 opens a quote that never closes: YAML stops there
    path = write("broken.yml", 'a: 1\nb:\n  - "open\nc: 2\n')
    with pytest.raises(
        MappingError, match=r"broken.yml' is not valid YAML at line \d+, column \d+"
    ):
        read_yaml(path, what="Mapping file", fix="", error=MappingError)


def test_bad_indentation_points_at_its_line(write):
    # line 3 is indented by three spaces, so its key starts in column 4
    path = write("indent.yml", "entries:\n  - id: 1\n   name: x\n")
    with pytest.raises(MappingError, match=r"line 3, column 4"):
        read_yaml(path, what="Mapping file", fix="", error=MappingError)


def test_missing_file_and_non_utf8(write, tmp_path):
    with pytest.raises(MappingError, match=r"'.*nowhere.yml' does not exist\. Copy the template"):
        read_yaml(
            tmp_path / "nowhere.yml",
            what="Mapping file",
            fix="Copy the template.",
            error=MappingError,
        )
    path = write("latin.yml", "name: Peña\n", encoding="latin-1")
    with pytest.raises(MappingError, match="not UTF-8 text"):
        read_yaml(path, what="Mapping file", fix="", error=MappingError)


def test_valid_file_is_parsed(write):
    assert read_yaml(write("ok.yml", "a: [1, 2]\n"), what="x", fix="", error=MappingError) == {
        "a": [1, 2]
    }
