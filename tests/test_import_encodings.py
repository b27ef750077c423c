"""Import encodings: hostile files are refused with the rows named, and nothing is written."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from merchants.models import AuditEntry, Merchant
from tests.factories import MerchantFactory, PrecinctFactory, UserFactory, make_code

pytestmark = pytest.mark.django_db

HEADER = "code,name_zh,name_en,kind,category,precinct,stall,address\n"


@pytest.fixture(autouse=True)
def clerk():
    return UserFactory(username="clerk")


@pytest.fixture
def street():
    return PrecinctFactory(slug="street")


def run(path, *options):
    out = io.StringIO()
    call_command(
        "import_credit",
        "merchants",
        str(path),
        "--no-progress",
        "--user",
        "clerk",
        *options,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def refused(path, *options):
    with pytest.raises(CommandError) as failure:
        run(path, *options)
    return str(failure.value)


def merchants_file(tmp_path, names, encoding="utf-8", codes=None):
    codes = codes or [make_code() for _name in names]
    lines = [
        f"{code},{name},,shop,tea,street,,北京路\n" for code, name in zip(codes, names, strict=True)
    ]
    path = tmp_path / "merchants.csv"
    path.write_bytes((HEADER + "".join(lines)).encode(encoding))
    return path, codes


def test_a_big5_file_is_refused_by_name_and_changes_no_name(tmp_path, street):
    merchant = MerchantFactory(precinct=street, name_zh="有记茗茶")
    path, _codes = merchants_file(
        tmp_path,
        ["有記茗茶", "美麗華珠寶", "陳記海味"],
        encoding="big5",
        codes=[merchant.code, make_code(), make_code()],
    )
    message = refused(path)
    assert "looks like Big5 (traditional Chinese)" in message
    merchant.refresh_from_db()
    assert merchant.name_zh == "有记茗茶"
    assert Merchant.objects.count() == 1
    assert not AuditEntry.objects.filter(source="import").exists()


def test_big5_named_by_the_clerk_is_refused_too(tmp_path, street):
    path, _codes = merchants_file(tmp_path, ["有記茗茶"], encoding="big5")
    assert "Big5 is not imported" in refused(path, "--encoding", "big5")


def test_one_stray_byte_in_a_utf8_file_names_its_row_and_writes_nothing(tmp_path, street):
    path, _codes = merchants_file(tmp_path, ["德昌海味", "陈记茶庄", "美华珠宝", "一德干果"])
    data = path.read_bytes().replace(
        "美华珠宝".encode(), "美华".encode() + b"\xff" + "珠宝".encode()
    )
    path.write_bytes(data)
    message = refused(path)
    assert "UTF-8 text except for 1 row(s)" in message
    assert "first rows affected: 4" in message
    assert Merchant.objects.count() == 0


def test_gb18030_and_utf8_files_still_import_their_names_intact(tmp_path, street):
    for encoding in ("gb18030", "utf-8-sig"):
        path, codes = merchants_file(tmp_path, ["德昌海味干果行", "广州酒家"], encoding=encoding)
        run(path)
        assert Merchant.objects.get(code=codes[0]).name_zh == "德昌海味干果行"


def test_a_gb18030_file_with_a_few_rare_characters_is_still_believed(tmp_path, street):
    path, codes = merchants_file(tmp_path, ["喆记茶庄", "陈记海味干果", "王氏牛肉面馆"], "gb18030")
    run(path)
    assert Merchant.objects.get(code=codes[0]).name_zh == "喆记茶庄"


def test_the_clerk_may_name_gb18030_and_is_told_when_the_bytes_are_not(tmp_path, street):
    path, codes = merchants_file(tmp_path, ["德昌海味"], encoding="gb18030")
    run(path, "--encoding", "GBK")
    assert Merchant.objects.get(code=codes[0]).name_zh == "德昌海味"

    other, _codes = merchants_file(tmp_path, ["德昌海味"], encoding="gb18030")
    message = refused(other, "--encoding", "utf-8")
    assert "not clean UTF-8 text" in message and "first rows affected: 2" in message


def test_an_unknown_encoding_name_is_refused(tmp_path, street):
    path, _codes = merchants_file(tmp_path, ["德昌海味"])
    assert "“latin-1” is not an encoding" in refused(path, "--encoding", "latin-1")


def test_private_use_characters_are_not_taken_for_text(tmp_path, street):
    path, _codes = merchants_file(tmp_path, ["德昌\ue000海味"])
    assert "first rows affected: 2" in refused(path)


def test_a_wrong_header_is_reported_before_a_broken_row_is_read(tmp_path, street):
    path = tmp_path / "wrong.csv"
    path.write_text("代码,名字\n1,ok\n2," + "x" * 1_100_000 + "\n", encoding="utf-8")
    message = refused(path)
    assert "no “code” column" in message
    assert "malformed" not in message


def test_an_xlsx_with_a_wrong_header_is_refused_on_its_header(tmp_path, street):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["代码", "名字"])
    for number in range(200):
        sheet.append([number, "名字"])
    path = tmp_path / "wrong.xlsx"
    workbook.save(path)
    assert "no “code” column" in refused(path)


def test_an_import_without_a_user_is_refused(tmp_path, street):
    path, _codes = merchants_file(tmp_path, ["德昌海味"])
    with pytest.raises(CommandError, match="--user"):
        call_command("import_credit", "merchants", str(path), "--no-progress")
    assert Merchant.objects.count() == 0


def test_a_wrong_header_is_reported_before_a_stray_byte_further_down(tmp_path, street):
    path = tmp_path / "wrong.csv"
    path.write_bytes("代码,名字\n1,德昌\n".encode() + b"2,\xff\n")
    message = refused(path)
    assert "no “code” column" in message
    assert "UTF-8" not in message
