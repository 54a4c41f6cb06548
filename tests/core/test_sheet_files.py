"""The seam between reading a file (core.sheet_files) and reading it as a table
(core.spreadsheets): what the file reader cannot read reaches the imports as an ImportFileError
with the reader's own message, wherever in the file it happens, and a row that cannot be read
below a wrong header leaves the header's problems standing."""

import io

import pytest

from core.sheet_files import UnreadableFile, file_rows
from core.spreadsheets import Column, ImportFileError, count_rows, read_table

COLUMNS = (
    Column("code", "Mã", True, ""),
    Column("name", "Tên", False, ""),
)
BROKEN_QUOTE = 'x,"y"z\n'  # a quoted cell followed by more text: the csv module refuses it


def _unreadable_message(data: bytes, filename: str) -> str:
    """The message core.sheet_files itself gives for `data`."""
    rows = file_rows(io.BytesIO(data), filename)
    with pytest.raises(UnreadableFile) as refused:
        list(rows)
    return str(refused.value)


@pytest.mark.parametrize("read", [read_table, lambda f, n, c: count_rows(f, n, c, limit=100)])
def test_a_row_that_cannot_be_read_below_the_header_is_a_file_problem(read):
    data = ("code,name\n1,a\n" + BROKEN_QUOTE).encode()
    with pytest.raises(ImportFileError) as error:
        read(io.BytesIO(data), "list.csv", COLUMNS)
    [problem] = error.value.problems
    assert (problem.row, problem.column) == (None, None)
    assert problem.message == _unreadable_message(data, "list.csv")


def test_a_whole_file_refusal_is_a_file_problem():
    data = b"\x7fELF\x02\x01\x01" + bytes(64)
    with pytest.raises(ImportFileError) as error:
        read_table(io.BytesIO(data), "list.csv", COLUMNS)
    with pytest.raises(UnreadableFile) as refused:
        file_rows(io.BytesIO(data), "list.csv")
    assert [p.message for p in error.value.problems] == [str(refused.value)]


def test_an_unreadable_row_below_a_wrong_header_leaves_the_header_problems():
    data = ("code,colour\n1,red\n" + BROKEN_QUOTE).encode()
    with pytest.raises(ImportFileError) as error:
        read_table(io.BytesIO(data), "list.csv", COLUMNS)
    problems = error.value.problems
    assert [(p.row, p.column, p.letter) for p in problems] == [(1, "colour", "B")]
    assert _unreadable_message(data, "list.csv") not in [p.message for p in problems]


def _sheet_with_cell_in(column: int) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["code", "name"])
    sheet.append(["1", "a"])
    sheet.cell(row=2, column=column, value="x")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_cell_in_the_last_column_allowed_is_read():
    rows = list(file_rows(io.BytesIO(_sheet_with_cell_in(1024)), "list.xlsx"))
    assert len(rows[1]) == 1024
    assert rows[1][1023] == "x"


def test_a_cell_beyond_the_last_column_allowed_refuses_the_file_naming_it():
    message = _unreadable_message(_sheet_with_cell_in(16384), "list.xlsx")
    assert message.startswith("Trang tính đầu tiên có ô ở cột thứ 16.384;")
    assert "1.024 cột đầu" in message
