"""The BCF planning workbook: round trips, validation placed on the sheet, and hostile files.
(Importing a workbook into plans: tests/budget/test_workbook.py.)"""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from placeplan.budget.domain import rules
from placeplan.budget.io import (
    default_budget,
    read_workbook,
    validate_workbook,
    write_workbook,
)
from placeplan.budget.io import layout as L
from placeplan.core.errors import InputError
from placeplan.io.xlsx_guard import MAX_FILE_BYTES
from tests.io import HOSTILE, META, edit, sample_document, snapshot, write

AMOUNT = "Expenditure (£)"


def refused(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        read_workbook(path)
    return caught.value


# ---- round trips (no database) ---------------------------------------------------------------


def test_write_then_read_gives_the_same_budget(tmp_path):
    document = sample_document()
    back, meta = read_workbook(write(tmp_path / "a.xlsx", document))
    assert meta == META
    assert back == document
    assert back.lines[0].amount_pence == 1_234_567_89
    assert back.lines[0].nhs_share == Decimal("40.5")
    assert back.schemes[0].priorities == ("Home first", "Prevention; early help")


def test_writing_is_deterministic_and_read_write_is_identical(tmp_path):
    a = write(tmp_path / "a.xlsx")
    b = write(tmp_path / "b.xlsx")
    assert snapshot(a) == snapshot(b)
    document, meta = read_workbook(a)
    c = tmp_path / "c.xlsx"
    write_workbook(c, meta, document, rules.check(default_budget(document)))
    assert snapshot(c) == snapshot(a)


def test_the_workbook_has_the_template_conventions(tmp_path):
    path = write(tmp_path / "a.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["Cover", "Income", "Expenditure", "Metrics", "Summary", "Lists"]
    assert wb["Lists"].sheet_state == "hidden"
    cover, spend = wb["Cover"], wb["Expenditure"]
    assert cover["A1"].value.startswith("=IF(") and "Planning Template " in cover["A1"].value
    assert spend["A4"].value == "Scheme ID" and spend["A4"].font.bold
    assert spend["I5"].value == 1234567.89 and spend["I5"].number_format == "#,##0.00"
    assert spend["I5"].fill.fgColor.rgb.endswith("FFFF99")  # an input: yellow
    assert wb["Summary"]["B6"].fill.fgColor.rgb.endswith("D9D9D9")  # computed: grey
    assert spend.column_dimensions["B"].width == 36
    assert any("Lists!$D$2" in (v.formula1 or "") for v in spend.data_validations.dataValidation)
    metrics = {r[0].value: r[3].value for r in wb["Metrics"].iter_rows(min_row=5) if r[0].value}
    assert metrics["discharge_delay"] == "S4"
    assert metrics["emergency_admissions_65_plus"] == "S1"


def test_cover_says_no_in_red_and_yes_in_green_whatever_it_computes(tmp_path):
    # What the checklist computes to, recomputed by LibreOffice: tests/budget/test_io_formulas.py.
    path = write(tmp_path / "a.xlsx", sample_document(extra_nhs_income=5_00))
    cover = load_workbook(path)["Cover"]
    rows = {r[0].value: r for r in cover.iter_rows() if r[0].value}
    item = rows["Income equals expenditure for each funding source"][1]
    assert item.data_type == "f" and item.value.startswith("=IF(SUM(Summary!")
    colours = {
        (str(cf.sqref), rule.formula[0]): rule.dxf.fill.fgColor.rgb
        for cf in cover.conditional_formatting
        for rule in cf.rules
        if rule.dxf.fill is not None
    }
    assert colours[(f"B11:B{item.row + 3}", '"No"')].endswith("FFC7CE")  # red
    assert colours[(f"B11:B{item.row + 3}", '"Yes"')].endswith("C6EFCE")  # green
    assert colours[("B26:B29", '"Incomplete"')].endswith("FFC7CE")


def test_text_is_stored_as_text_never_a_formula(tmp_path):
    path = write(tmp_path / "a.xlsx")
    spend = load_workbook(path)["Expenditure"]
    assert spend["B9"].value == HOSTILE and spend["B9"].data_type == "s"
    assert spend["C9"].value == "  leading and trailing spaces  "
    assert spend["R6"].value == "=SUM(A1:A9)" and spend["R6"].data_type == "s"
    # Formulas only where the writer means them: the sheets' statuses, the Cover and the Summary.
    wb = load_workbook(path)
    for name in ("Income", "Expenditure", "Metrics", "Lists"):
        formulas = [c.coordinate for row in wb[name].iter_rows() for c in row if c.data_type == "f"]
        assert formulas == ([] if name in ("Metrics", "Lists") else ["B2"]), name
    document, _ = read_workbook(path)
    assert document.schemes[3].name == HOSTILE
    assert document.schemes[3].description == "  leading and trailing spaces  "
    assert document.lines[1].description == "=SUM(A1:A9)"


def test_text_excel_escapes_comes_back_exactly(tmp_path):
    odd = "CR\r\nLF, bell\x07, a literal _x000D_ and __x005F_"
    document = sample_document()
    scheme = replace(document.schemes[4], name=odd, description="\t tab \u00a3 \U0001f600")
    document = replace(document, schemes=(*document.schemes[:4], scheme))
    back, _ = read_workbook(write(tmp_path / "a.xlsx", document))
    assert back.schemes[4] == scheme


def test_demo_budget_round_trips(tmp_path):
    import yaml

    from placeplan.budget.domain.document import document_from_mapping
    from placeplan.demo import loader

    data_file = Path(loader.__file__).parent / "data" / "budget_leics_2025_26.yaml"
    document = document_from_mapping(yaml.safe_load(data_file.read_text()))
    back, _ = read_workbook(write(tmp_path / "demo.xlsx", document))
    assert back.lines == document.lines and back.schemes == document.schemes
    assert back.income == document.income
    assert sorted(back.stated, key=str) == sorted(document.stated, key=str)


# ---- validation placed on the sheet -----------------------------------------------------------


def test_unbalanced_income_fails_validation_on_the_income_row(tmp_path):
    path = write(tmp_path / "a.xlsx", sample_document(extra_nhs_income=5_00))
    report = validate_workbook(path)
    assert report["valid"] is False
    (finding,) = [f for f in report["findings"] if f["rule"] == "income-equals-expenditure"]
    assert finding == {
        "rule": "income-equals-expenditure",
        "severity": "error",
        "sheet": "Income",
        "row": 5,
        "column": "Amount (£)",
        "message": finding["message"],
    }
    assert "unallocated £5.00" in finding["message"]


def test_a_valid_workbook_validates_with_only_the_baseline_warning(tmp_path):
    report = validate_workbook(write(tmp_path / "a.xlsx"))
    assert report["valid"] is True
    assert [f["rule"] for f in report["findings"]] == ["nhs-asc-minimum"]
    assert set(report["findings"][0]) == {"rule", "severity", "sheet", "row", "column", "message"}


def test_rule_findings_name_the_row_and_column_of_the_line(tmp_path):
    path = write(tmp_path / "a.xlsx")
    edit(path, "Expenditure", "N8", "A friend")  # provider of S3-1
    edit(path, "Expenditure", "G9", "S3-1")  # S4-1 renamed: a duplicate id
    edit(path, "Income", "C6", 500_000.01)  # keep the grant in balance without S4-1's change
    report = validate_workbook(path)
    located = {(f["rule"], f["row"], f["column"]) for f in report["findings"]}
    assert ("line-fields", 8, "Provider") in located
    assert ("unique-line-ids", 9, "Line ID") in located


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # The line editor's words (budget.domain.fields): -£5 and £1bn and a pound are outside.
        (-5, "The amount must be from £0 to £1bn (it is -£5.00)"),
        (1_000_000_001, "The amount must be from £0 to £1bn (it is £1,000,000,001.00)"),
    ],
)
def test_amounts_outside_the_bounds_are_refused_in_the_line_editors_words(tmp_path, value, message):
    path = edit(write(tmp_path / "a.xlsx"), "Expenditure", "I7", value)
    error = refused(path)
    assert (error.sheet, error.row, error.field, error.message) == (
        "Expenditure",
        7,
        AMOUNT,
        message,
    )
    assert error.file == str(path)


@pytest.mark.parametrize(
    ("value", "found"),
    [
        (1.005, "more than 2 decimal places"),
        ("lots", "text 'lots'"),
    ],
)
def test_bad_amounts_are_refused_naming_sheet_row_and_column(tmp_path, value, found):
    path = edit(write(tmp_path / "a.xlsx"), "Expenditure", "I7", value)
    error = refused(path)
    assert (error.sheet, error.row, error.field) == ("Expenditure", 7, AMOUNT)
    assert "cell I7" in error.message and found in error.message
    assert "expected an amount in pounds from 0 to 1,000,000,000" in error.message
    assert error.file == str(path)


def test_bad_income_amount_and_unknown_source_name_the_income_sheet(tmp_path):
    path = edit(write(tmp_path / "a.xlsx"), "Income", "C6", "about a million")
    edit(path, "Income", "A7", "Lottery")
    report = validate_workbook(path)
    assert report["valid"] is False
    where = [(f["sheet"], f["row"], f["column"]) for f in report["findings"]]
    assert where == [("Income", 6, "Amount (£)"), ("Income", 7, "Source of funding")]
    error = refused(path)
    assert (error.sheet, error.row, error.field) == ("Income", 6, "Amount (£)")
    assert "1 more problem" in error.message


def test_a_formula_in_an_input_cell_is_refused(tmp_path):
    path = edit(write(tmp_path / "a.xlsx"), "Expenditure", "I5", "=1234567.89+0")
    error = refused(path)
    assert (error.sheet, error.row, error.field) == ("Expenditure", 5, AMOUNT)
    assert "cell I5 holds a formula" in error.message
    formula_in_name = edit(write(tmp_path / "b.xlsx"), "Cover", "B4", '=HYPERLINK("x")')
    error = refused(formula_in_name)
    assert (error.sheet, error.row, error.field) == ("Cover", 4, "Plan title")


def test_a_scheme_must_read_the_same_on_each_of_its_lines(tmp_path):
    path = edit(write(tmp_path / "a.xlsx"), "Expenditure", "B6", "Home care (renamed)")
    error = refused(path)
    assert (error.sheet, error.row, error.field) == ("Expenditure", 6, "Scheme name")
    assert "as on row 5 for scheme S1" in error.message


def test_a_missing_column_or_sheet_is_named(tmp_path):
    path = edit(write(tmp_path / "a.xlsx"), "Expenditure", "I4", "Money")
    error = refused(path)
    assert (error.sheet, error.row, error.field) == ("Expenditure", 4, AMOUNT)
    other = write(tmp_path / "b.xlsx")
    wb = load_workbook(other)
    del wb["Income"]
    wb.save(other)
    assert refused(other).sheet == "Income"


# ---- hostile files ---------------------------------------------------------------------------


def test_a_legacy_xls_or_csv_renamed_xlsx_is_refused(tmp_path):
    xls = tmp_path / "old.xlsx"
    xls.write_bytes(bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 1024)  # an OLE2 compound file
    csv = tmp_path / "data.xlsx"
    csv.write_text("Scheme ID,Amount\nS1,=cmd|' /C calc'!A0\n")
    for path in (xls, csv):
        error = refused(path)
        assert "not a zip package" in error.message and error.file == str(path)
        assert validate_workbook(path)["findings"][0]["rule"] == "workbook-file"


def test_a_zip_that_is_not_an_xlsx_is_refused(tmp_path):
    plain = tmp_path / "plain.xlsx"
    with zipfile.ZipFile(plain, "w") as z:
        z.writestr("hello.txt", "hi")
    assert "no [Content_Types].xml" in refused(plain).message
    docx = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(docx, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.'
            'openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
    assert "wordprocessingml" in refused(docx).message


def _with_part(source: Path, target: Path, name: str, data: bytes, types: bytes | None = None):
    with zipfile.ZipFile(source) as src, zipfile.ZipFile(target, "w") as dst:
        for item in src.infolist():
            body = src.read(item)
            if item.filename == "[Content_Types].xml" and types is not None:
                body = types
            dst.writestr(item, body)
        if name:
            dst.writestr(name, data)
    return target


def test_macro_enabled_workbooks_are_refused(tmp_path):
    good = write(tmp_path / "good.xlsx")
    xlsm = _with_part(good, tmp_path / "macro.xlsm", "xl/vbaProject.bin", b"\xcc" * 64)
    assert "macros" in refused(xlsm).message
    with zipfile.ZipFile(good) as z:
        types = z.read("[Content_Types].xml").replace(
            b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml"
        )
    retyped = _with_part(good, tmp_path / "retyped.xlsx", "", b"", types)
    assert "macros" in refused(retyped).message


def test_files_over_20_mb_are_refused_unread(tmp_path):
    big = tmp_path / "big.xlsx"
    with open(big, "wb") as f:
        f.truncate(MAX_FILE_BYTES + 1)  # sparse: nothing is written
    error = refused(big)
    assert "over 20 MB" in error.message


def test_a_stream_is_read_like_a_file(tmp_path):
    buffer = io.BytesIO()
    document = sample_document()
    write_workbook(buffer, META, document, [])
    buffer.seek(0)
    assert read_workbook(buffer)[0] == document


def test_layout_constants_match_the_written_headers(tmp_path):
    spend = load_workbook(write(tmp_path / "a.xlsx"))["Expenditure"]
    headers = [c.value for c in spend[L.HEADER_ROW]]
    assert headers == [c.header for c in L.EXPENDITURE_COLUMNS]
    assert set(L.FIELD_COLUMNS.values()) <= set(headers)
