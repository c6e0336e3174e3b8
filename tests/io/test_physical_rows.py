"""Rows read are the file's own records: a stray quote never merges rows silently.

Every file is written here, line by line, so each expected count and line number can be read
off the test: the header is line 1, and line N holds data row N - 1.
"""

import pytest

import cxkit as cx
from cxkit.cli import main
from cxkit.errors import DataFileError

HEADER = "response_id,responded_at,nps,comment"


def lines(*rows: str) -> str:
    return "\n".join([HEADER, *rows]) + "\n"


UNCLOSED = lines(
    "R1,2026-10-01,9,fine",
    'R2,2026-10-02,8,"oops, unclosed',  # line 3: the quote is never closed
    "R3,2026-10-03,7,ok",
    "R4,2026-10-04,10,good",
    "R5,2026-10-05,6,bad",
)


def test_an_unclosed_quote_is_an_error_naming_its_line(write):
    # before: "rows read 2, accepted 2" for these 5 rows (lines 4 to 6 vanished into a comment)
    path = write("responses.csv", UNCLOSED)
    with pytest.raises(
        DataFileError, match=r"line 3 opens a quoted value \(\"\) that is never closed"
    ):
        cx.read_responses(path)
    with pytest.raises(DataFileError, match=r"the 3 line\(s\) after it would be one value"):
        cx.read_responses(path)  # lines 4, 5 and 6


def test_a_quote_closed_rows_later_is_an_error_naming_both_lines(write):
    text = lines(
        "R1,2026-10-01,9,fine",
        'R2,2026-10-02,8,"oops',  # line 3 opens a quote ...
        "R3,2026-10-03,7,ok",
        'R4,2026-10-04,10,again"',  # ... that line 5 closes: rows R3 and R4 would be swallowed
        "R5,2026-10-05,6,bad",
    )
    with pytest.raises(DataFileError, match=r"line 3 opens a quoted value .* runs to line 5"):
        cx.read_responses(write("responses.csv", text))


def test_a_quote_closed_mid_value_rows_later_is_an_error(write):
    text = lines(
        "R1,2026-10-01,9,fine",
        'R2,2026-10-02,8,"oops',
        "R3,2026-10-03,7,ok",
        'R4,2026-10-04,10,"again',  # closes line 3's quote, then text follows the quote
        "R5,2026-10-05,6,bad",
    )
    with pytest.raises(DataFileError, match=r"line 3 opens a quoted value .* runs to line 5"):
        cx.read_responses(write("responses.csv", text))


def test_quoted_line_breaks_and_inch_marks_are_still_read(write):
    text = lines(
        "R1,2026-10-01,9,fine",
        'R2,2026-10-02,8,"two',  # a comment quoted over lines 3 and 4 (a real line break)
        'lines"',
        'R3,2026-10-03,7,a 5" screen',  # a quote inside an unquoted value is just a character
        "R4,2026-10-04,10,good",
    )
    res = cx.read_responses(write("responses.csv", text))
    assert (res.rows_read, res.rows_accepted) == (4, 4)  # R1 to R4
    assert res.data["comment"].tolist() == ["fine", "two\nlines", 'a 5" screen', "good"]


def test_cli_exits_2_with_the_line(write, capsys):
    assert main(["validate", str(write("responses.csv", UNCLOSED))]) == 2
    err = capsys.readouterr().err
    assert "line 3 opens a quoted value" in err and "Traceback" not in err


@pytest.mark.parametrize("end", ["\n", ""], ids=["last line ended", "no final line break"])
def test_a_quote_open_at_the_end_is_an_error_even_without_rows_after_it(write, end):
    text = lines(
        "R1,2026-10-01,9,fine",
        'R2,2026-10-02,8,"oops',  # line 3: never closed; lines 4 and 5 are no rows
        "and then some text",
        "and more",
    )
    with pytest.raises(DataFileError, match=r"line 3 opens a quoted value .* never closed"):
        cx.read_responses(write("responses.csv", text.removesuffix("\n") + end))


def test_a_quote_in_a_column_not_read_is_still_found(write):
    """The extra lines are in ``notes``, which cxkit does not read: the file is checked line by
    line, and the quote that swallows rows 3 and 4 is refused all the same."""
    text = "\n".join(
        [
            HEADER + ",notes",
            "R1,2026-10-01,9,fine,a",
            'R2,2026-10-02,8,ok,"oops',  # line 3 opens a quote in notes ...
            "R3,2026-10-03,7,ok,b",
            'R4,2026-10-04,10,good,c"',  # ... closed on line 5
            "R5,2026-10-05,6,bad,d",
        ]
    )
    with pytest.raises(DataFileError, match=r"line 3 opens a quoted value .* runs to line 5"):
        cx.read_responses(write("responses.csv", text + "\n"))
    legit = text.replace('"oops', '"two\nlines"').replace('c"', "c")  # a note over two lines
    res = cx.read_responses(write("responses2.csv", legit + "\n"))
    assert (res.rows_read, res.rows_accepted) == (5, 5)


def test_line_breaks_in_the_values_read_need_no_line_by_line_check(write, monkeypatch):
    """When the comments' line breaks account for every extra line, the file is not walked."""
    from cxkit.io import sources

    def walked(info):
        raise AssertionError("the file was checked line by line")

    monkeypatch.setattr(sources, "_check_quotes", walked)
    text = lines(
        'R1,2026-10-01,9,"one\nline break"',
        'R2,2026-10-02,8,"two\r\nbreaks,\nsee"',
        "R3,2026-10-03,7,ok",
    )
    res = cx.read_responses(write("responses.csv", text))
    assert res.data["comment"].tolist() == ["one\nline break", "two\r\nbreaks,\nsee", "ok"]


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
def test_a_stray_quote_closed_by_the_next_rows_quote_in_the_same_column_is_an_error(write, newline):
    """The comment is not the last column: the stray quote on line 3 closes at line 4's own
    opening quote in the same column, and the merged record has the right number of fields."""
    text = newline.join(
        [
            "response_id,comment,responded_at,nps",
            'R1,"fine",2026-10-01,9',
            'R2,"stray start,2026-10-02,8',  # line 3 opens a quote in the comment column ...
            'R3,"fine",2026-10-03,7',  # ... and line 4's comment quote closes it
            'R4,"ok",2026-10-04,10',
        ]
    )
    with pytest.raises(DataFileError, match=r"line 3 opens a quoted value"):
        cx.read_responses(write("responses.csv", text + newline))


def test_a_comment_over_lines_before_other_columns_is_still_read_without_a_walk(write, monkeypatch):
    from cxkit.io import sources

    def walked(info):
        raise AssertionError("the file was checked line by line")

    monkeypatch.setattr(sources, "_check_quotes", walked)
    text = "\n".join(
        [
            "response_id,responded_at,comment,nps",
            'R1,2026-10-01,"two\nlines, with a comma",9',
            "R2,2026-10-02,ok,8",
        ]
    )
    res = cx.read_responses(write("responses.csv", text + "\n"))
    assert res.data["comment"].tolist() == ["two\nlines, with a comma", "ok"]
