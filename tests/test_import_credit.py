"""``manage.py import_credit KIND FILE``: every kind, bad rows, encodings, XLSX, 双公示."""

import datetime
import decimal
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from cms import page_cache
from merchants.audit import AuditEntry
from merchants.imports import import_file
from merchants.models import Inspection, Licence, ListEntry, Merchant, Penalty, Precinct
from merchants.signals import archive_changed
from tests.factories import (
    AssociationFactory,
    LicenceFactory,
    MerchantFactory,
    PenaltyFactory,
    PrecinctFactory,
    UserFactory,
    make_code,
)

pytestmark = pytest.mark.django_db

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
MERCHANT_HEADER = "code,name_zh,name_en,kind,category,precinct,stall,address\n"


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def import_clerk():
    """The account imports in this module are done for unless a test names another."""
    return UserFactory(username="import-clerk")


def with_user(options):
    return options if "--user" in options else (*options, "--user", "import-clerk")


def run(kind, path, *options):
    """Run the command; (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_credit",
        kind,
        str(path),
        "--no-progress",
        *with_user(options),
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def refused(kind, path, *options):
    """Run the command expecting it to fail; (error message, stderr)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as failure:
        call_command(
            "import_credit",
            kind,
            str(path),
            "--no-progress",
            *with_user(options),
            stdout=io.StringIO(),
            stderr=err,
        )
    return str(failure.value), err.getvalue()


def write(tmp_path, text, name="import.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def archive_size():
    return (
        Precinct.objects.count(),
        Merchant.objects.count(),
        Licence.objects.count(),
        Inspection.objects.count(),
        Penalty.objects.count(),
        ListEntry.objects.count(),
        AuditEntry.objects.count(),
    )


SAMPLE_FILES = [
    ("precincts", "precincts.csv", 5),
    ("merchants", "merchants.csv", 6),
    ("licences", "licences.csv", 3),
    ("licences", "licences-shuanggongshi.csv", 2),
    ("inspections", "inspections.csv", 3),
    ("penalties", "penalties.csv", 2),
    ("penalties", "penalties-shuanggongshi.csv", 2),
    ("lists", "lists.csv", 3),
]


def test_every_sample_imports_and_a_second_import_changes_nothing(import_clerk):
    for kind, name, count in SAMPLE_FILES:
        out, err = run(kind, SAMPLES / name)
        assert f"{kind}: {count} created, 0 changed, 0 unchanged." in out, name
        assert err == ""
    assert archive_size() == (5, 6, 5, 3, 4, 3, 26)
    assert (
        AuditEntry.objects.filter(action="create", source="import", actor=import_clerk).count()
        == 26
    )

    for kind, name, count in SAMPLE_FILES:
        out, _err = run(kind, SAMPLES / name)
        assert f"{kind}: 0 created, 0 changed, {count} unchanged." in out, name
    assert archive_size() == (5, 6, 5, 3, 4, 3, 26)

    # Spot checks across kinds and formats.
    assert Precinct.objects.get(slug="yide-haiwei-1").parent.slug == "yide-road"
    stall = Merchant.objects.get(code="92440104MA5CHW204H")
    assert (stall.kind, stall.category) == ("stall", "dry_goods")  # given as 档口, 干果
    clinic = Merchant.objects.get(code="91440104MA9UKY406K")
    assert (clinic.kind, clinic.category, clinic.specialties) == ("clinic", "ophthalmology", "眼科")
    licence = Licence.objects.get(number="92440104MA5CHW103Q")
    assert (licence.kind, licence.issued_on) == ("business", datetime.date(2019, 7, 12))
    food = Licence.objects.get(number="JY14401040023456")
    assert (food.kind, food.issued_on) == ("food_business", datetime.date(2021, 3, 15))
    assert food.merchant == stall
    fine = Penalty.objects.get(decision_number="穗越市监处罚〔2025〕230号")
    assert fine.penalty_types == ["fine", "confiscation"]
    assert fine.fine_amount == decimal.Decimal("50000.00")  # 5 in a 罚款金额(万元) column
    assert fine.decided_on == datetime.date(2025, 9, 3)
    assert ListEntry.objects.get(list_name="abnormal_operation").merchant.code == (
        "92440104MA5CGF802P"
    )


def test_precinct_parents_may_come_later_in_the_file_or_already_exist(tmp_path):
    PrecinctFactory(slug="yuexiu", kind="district")
    path = write(
        tmp_path,
        "slug,name_zh,kind,parent\n"
        "market-1,海味市场一期,market,yide\n"
        "yide,一德路片区,area,yuexiu\n",
    )
    run("precincts", path)
    market = Precinct.objects.get(slug="market-1")
    assert market.parent.slug == "yide"
    assert market.parent.parent.slug == "yuexiu"
    entry = market.audit_entries().get()
    assert entry.after["parent_id"] == market.parent_id


def test_a_precinct_cannot_end_up_inside_itself(tmp_path):
    PrecinctFactory(slug="outer", parent=PrecinctFactory(slug="inner"))
    path = write(
        tmp_path, "slug,name_zh,kind,parent\ninner,内,market,outer\nlost,失,market,nowhere\n"
    )
    message, err = refused("precincts", path)
    assert "Row 2, parent: Precinct “inner” would lie within itself." in err
    assert "Row 3, parent: No precinct has the slug “nowhere”." in err
    assert "2 of 2 rows are bad, so nothing was written" in message
    assert Precinct.objects.get(slug="inner").parent is None


BAD_ROWS = [
    pytest.param(
        "merchants",
        MERCHANT_HEADER + f"{make_code()},好店,,shop,tea,street,,\n"
        "92440104MA5CTEA017,坏码,,shop,tea,street,,\n",
        "Row 3, code: Invalid credit code “92440104MA5CTEA017”: The check character",
        id="invalid credit code",
    ),
    pytest.param(
        "merchants",
        MERCHANT_HEADER + f"{make_code()},好店,,shop,tea,street,,\n\n"
        f"{make_code()},迷路,,shop,tea,atlantis,,\n",
        # The blank line is row 3 in a spreadsheet: numbering counts it.
        "Row 4, precinct: No precinct has the slug “atlantis”.",
        id="unknown precinct",
    ),
    pytest.param(
        "merchants",
        MERCHANT_HEADER + f"{make_code()},好店,,shop,teapot,street,,\n",
        "Row 2, category: “teapot” is not one of: cosmetic_surgery, dental,",
        id="unknown choice",
    ),
    pytest.param(
        "merchants",
        MERCHANT_HEADER + f"{make_code()},,,shop,tea,street,,\n",
        "Row 2, name_zh: This column needs a value.",
        id="missing value",
    ),
    pytest.param(
        "merchants",
        MERCHANT_HEADER + f"{make_code()},口腔诊所,,clinic,tea,street,,\n",
        "Row 2, category: A clinic needs a medical category.",
        id="clinic without a medical category",
    ),
    pytest.param(
        "merchants",
        MERCHANT_HEADER + "{code},一号,,shop,tea,street,,\n{code},二号,,shop,tea,street,,\n",
        "Row 3: Same credit code as row 2.",
        id="duplicate natural key",
    ),
    pytest.param(
        "licences",
        "code,number,kind,issuer,issued_on\n{known},JY1,food_business,越秀区市场监督管理局,2022-02-30\n",
        "Row 2, issued_on: “2022-02-30” is not a date; write it like 2019-07-12.",
        id="bad date",
    ),
    pytest.param(
        "inspections",
        "code,inspected_on,authority,kind,result\n"
        f"{make_code()},2025-03-01,越秀区市场监督管理局,random,pass\n",
        "Row 2, code: No merchant has the credit code",
        id="unknown merchant",
    ),
    pytest.param(
        "penalties",
        "code,decision_number,decided_on,authority,violation,penalty_types\n"
        "{known},穗越罚〔2025〕1号,2025-06-01,越秀区市场监督管理局,未明码标价,罚款\n",
        "Row 2, fine_amount: A fine needs its amount.",
        id="fine without an amount",
    ),
    pytest.param(
        "lists",
        "code,list_name,reason,listed_on\n{known},a_taxpayer,A 级,2025-04-01\n"
        "{known},A级纳税人,A 级,2025年4月1日\n",
        "Row 3: Same merchant, list and start date as row 2.",
        id="duplicate list entry",
    ),
]


@pytest.mark.parametrize("kind, text, reported", BAD_ROWS)
def test_a_bad_row_is_reported_with_its_number_and_nothing_is_written(
    tmp_path, kind, text, reported
):
    PrecinctFactory(slug="street")
    known = MerchantFactory()
    path = write(tmp_path, text.format(known=known.code, code=make_code()))
    before = archive_size()
    message, err = refused(kind, path)
    assert reported in err
    assert "so nothing was written" in message
    assert archive_size() == before


def test_a_missing_column_is_one_file_error(tmp_path):
    path = write(tmp_path, "code,name_zh,kind,category\n" + f"{make_code()},店,shop,tea\n" * 3)
    message, err = refused("merchants", path)
    assert message == "The file has no “precinct” column (also accepted: 街区, 市场)."
    assert err == ""
    assert Merchant.objects.count() == 0


def test_skip_bad_rows_writes_the_good_rows_and_still_lists_the_bad(tmp_path):
    PrecinctFactory(slug="street")
    good = make_code()
    path = write(
        tmp_path,
        MERCHANT_HEADER + f"{good},好店,,shop,tea,street,,\n{make_code()},坏店,,shop,tea,moon,,\n",
    )
    out, err = run("merchants", path, "--skip-bad-rows")
    assert "Row 3, precinct: No precinct has the slug “moon”." in err
    assert "merchants: 1 created, 0 changed, 0 unchanged." in out
    assert "1 bad row skipped." in out
    assert list(Merchant.objects.values_list("code", flat=True)) == [good]


def test_a_dry_run_counts_but_writes_nothing(tmp_path):
    PrecinctFactory(slug="street")
    path = write(tmp_path, MERCHANT_HEADER + f"{make_code()},好店,,shop,tea,street,,\n")
    before = archive_size()
    out, _err = run("merchants", path, "--dry-run")
    assert "Dry run, nothing written. merchants: 1 would be created" in out
    assert archive_size() == before


def test_a_changed_row_updates_the_record_and_audits_only_what_changed(tmp_path):
    street = PrecinctFactory(slug="street")
    merchant = MerchantFactory(
        precinct=street, name_en="Old Name", stall="A1", address="北京路 1 号"
    )
    clerk = UserFactory(username="clerk")
    path = write(
        tmp_path,
        MERCHANT_HEADER
        + f"{merchant.code},{merchant.name_zh},New Name,shop,tea,street,A1,北京路 1 号\n",
    )
    out, _err = run("merchants", path, "--user", "clerk")
    assert "merchants: 0 created, 1 changed, 0 unchanged." in out
    merchant.refresh_from_db()
    assert merchant.name_en == "New Name"
    assert merchant.updated_at > merchant.created_at
    entry = merchant.audit_entries().get(action="change")
    assert (entry.before, entry.after) == ({"name_en": "Old Name"}, {"name_en": "New Name"})
    assert (entry.source, entry.actor) == ("import", clerk)


def test_columns_left_out_of_the_file_are_left_alone(tmp_path):
    association = AssociationFactory(slug="chamber")
    merchant = MerchantFactory(precinct=PrecinctFactory(slug="street"), association=association)
    path = write(
        tmp_path,
        "code,name_zh,kind,category,precinct\n"
        f"{merchant.code},{merchant.name_zh},shop,tea,street\n",
    )
    out, _err = run("merchants", path)
    assert "0 changed, 1 unchanged" in out
    merchant.refresh_from_db()
    assert merchant.association == association


def test_an_unknown_user_is_refused_before_anything_is_read(tmp_path):
    message, _err = refused("merchants", tmp_path / "missing.csv", "--user", "nobody")
    assert message == "There is no user “nobody”."


def test_a_withdrawn_record_stays_withdrawn_when_imported_again(tmp_path):
    penalty = PenaltyFactory(outcome="罚款 2000 元")
    penalty.withdraw(Penalty.WithdrawalKind.ERROR, "录入错误")
    path = write(
        tmp_path,
        "code,decision_number,decided_on,authority,violation,penalty_types,outcome,fine_amount\n"
        f"{penalty.merchant.code},{penalty.decision_number},2025-06-01,{penalty.authority},"
        f"{penalty.violation},罚款,罚款人民币 2000 元,2000\n",
    )
    out, _err = run("penalties", path)
    assert "0 created, 1 changed" in out
    assert "1 matching record is withdrawn and stays withdrawn." in out
    penalty.refresh_from_db()
    assert penalty.outcome == "罚款人民币 2000 元"
    assert penalty.is_withdrawn
    assert penalty.withdrawal_reason == "录入错误"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_in_utf8_with_or_without_bom_and_gb18030(tmp_path, encoding):
    PrecinctFactory(slug="street")
    code = make_code()
    path = write(
        tmp_path,
        MERCHANT_HEADER + f"{code},德昌海味干果行,,档口,海味,street,,一德路\n",
        encoding=encoding,
    )
    run("merchants", path)
    merchant = Merchant.objects.get(code=code)
    assert (merchant.name_zh, merchant.kind, merchant.address) == (
        "德昌海味干果行",
        "stall",
        "一德路",
    )


def test_xlsx_first_sheet_with_date_and_number_cells(tmp_path):
    merchant = MerchantFactory()
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "number", "kind", "issuer", "issued_on", "expires_on"])
    sheet.append(
        [
            merchant.code,
            4401040001,
            "食品经营许可证",
            "越秀区市场监督管理局",
            datetime.date(2022, 3, 1),
            "2027/2/28",
        ]
    )
    sheet.append([None, None, None, None, None, None])
    sheet.append(
        [
            merchant.code,
            "JY2",
            "营业执照",
            "越秀区市场监督管理局",
            datetime.datetime(2020, 1, 2),
            20300101,
        ]
    )
    workbook.create_sheet("ignored").append(["anything"])
    path = tmp_path / "licences.xlsx"
    workbook.save(path)

    out, _err = run("licences", path)
    assert "licences: 2 created" in out
    first = Licence.objects.get(number="4401040001")
    assert (first.kind, first.issued_on, first.expires_on) == (
        "food_business",
        datetime.date(2022, 3, 1),
        datetime.date(2027, 2, 28),
    )
    second = Licence.objects.get(number="JY2")
    assert (second.kind, second.issued_on, second.expires_on) == (
        "business",
        datetime.date(2020, 1, 2),
        datetime.date(2030, 1, 1),
    )


@pytest.mark.parametrize(
    "code_header, fine_header, fine, expected",
    [
        ("行政相对人代码_1（统一社会信用代码）", "罚款金额（万元）", "0.3", "3000.00"),
        ("行政相对人代码_1 (统一社会信用代码)", "罚款金额(万元)", "1.25", "12500.00"),
        ("行政相对人代码(统一社会信用代码)", "罚款金额", "3000", "3000.00"),
        ("统一社会信用代码", "罚款金额（元）", '"3,000元"', "3000.00"),
    ],
)
def test_double_publicity_penalties(tmp_path, code_header, fine_header, fine, expected):
    merchant = MerchantFactory()
    path = write(
        tmp_path,
        f"行政处罚决定书文号,处罚类别,处罚事由,处罚依据,处罚结果,{fine_header},处罚决定日期,"
        f"处罚机关,行政相对人名称, {code_header} ,严重程度\n"
        f"穗越罚〔2025〕1号,警告；罚款,未明码标价,价格法第十三条,警告并罚款,{fine},20250601,"
        f"越秀区市场监督管理局,{merchant.name_zh},{merchant.code},严重\n"
        f"穗越罚〔2025〕2号,吊销许可证、责令停产停业,销售过期食品,食品安全法,吊销,,2025年7月12日,"
        f"越秀区市场监督管理局,{merchant.name_zh},{merchant.code},\n",
        encoding="gb18030",
    )
    run("penalties", path)
    first = Penalty.objects.get(decision_number="穗越罚〔2025〕1号")
    assert first.merchant == merchant
    assert first.penalty_types == ["warning", "fine"]
    assert first.fine_amount == decimal.Decimal(expected)
    assert (first.violation, first.outcome) == ("未明码标价", "警告并罚款")
    assert first.basis == "价格法第十三条"
    assert (first.decided_on, first.severity) == (datetime.date(2025, 6, 1), "serious")
    second = Penalty.objects.get(decision_number="穗越罚〔2025〕2号")
    assert second.penalty_types == ["suspension", "revocation"]
    assert (second.decided_on, second.severity) == (datetime.date(2025, 7, 12), "general")


def test_double_publicity_licences(tmp_path):
    merchant = MerchantFactory()
    path = write(
        tmp_path,
        "行政许可决定书文号,许可证书名称,行政相对人名称,行政相对人代码_1（统一社会信用代码）,"
        "许可决定日期,许可截止期,许可机关\n"
        f"JY1,食品经营许可证,{merchant.name_zh},{merchant.code},2019/7/12,2024年7月11日,越秀区市场监督管理局\n"
        f"YL2,医疗机构执业许可证,{merchant.name_zh},{merchant.code},2020-01-01,,越秀区卫生健康局\n"
        f"YP3,药品经营许可证（零售）,{merchant.name_zh},{merchant.code},20200101,,越秀区市场监督管理局\n"
        f"GG4,户外广告设置许可,{merchant.name_zh},{merchant.code},20200101,,越秀区城市管理局\n",
    )
    run("licences", path)
    kinds = dict(Licence.objects.values_list("number", "kind"))
    assert kinds == {
        "JY1": "food_business",
        "YL2": "medical_practice",
        "YP3": "drug_retail",
        "GG4": "other",
    }
    first = Licence.objects.get(number="JY1")
    assert (first.issued_on, first.expires_on, first.issuer) == (
        datetime.date(2019, 7, 12),
        datetime.date(2024, 7, 11),
        "越秀区市场监督管理局",
    )


def test_an_updated_licence_changes_only_its_fields(tmp_path):
    licence = LicenceFactory(expires_on=datetime.date(2027, 1, 1))
    path = write(
        tmp_path,
        "code,number,kind,issuer,issued_on,expires_on\n"
        f"{licence.merchant.code},{licence.number},business,{licence.issuer},2022-01-01,2032-01-01\n",
    )
    run("licences", path)
    entry = licence.audit_entries().get(action="change")
    assert (entry.before, entry.after) == (
        {"expires_on": "2027-01-01"},
        {"expires_on": "2032-01-01"},
    )


@pytest.mark.parametrize(
    "name, content, reported",
    [
        ("empty.csv", b"", "The file is empty"),
        ("blank.csv", b"\n\n", "The file is empty"),
        ("binary.csv", bytes(range(1, 256)) * 4, "neither clean UTF-8 nor GB18030"),
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "old Excel .xls file"),
        ("fake.xlsx", b"code,name\n", "named .xlsx but is not an Excel workbook"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "not an Excel workbook that can be read"),
        ("nul.csv", b"code\x00,name\n", "not a CSV file or an XLSX workbook"),
    ],
)
def test_a_malformed_file_gets_a_clear_message(tmp_path, name, content, reported):
    path = tmp_path / name
    path.write_bytes(content)
    message, _err = refused("merchants", path)
    assert reported in message


def test_a_missing_file_gets_a_clear_message(tmp_path):
    message, _err = refused("merchants", tmp_path / "nowhere.csv")
    assert message == f"There is no file {tmp_path / 'nowhere.csv'}."


def test_the_scan_pages_hear_of_the_change_once_committed(
    tmp_path, django_capture_on_commit_callbacks
):
    street = PrecinctFactory(slug="street")
    merchant = MerchantFactory(precinct=street)
    heard = []

    def listener(sender, merchant_ids, **kwargs):
        heard.append((sender, set(merchant_ids)))

    archive_changed.connect(listener)
    try:
        path = write(
            tmp_path,
            "code,inspected_on,authority,kind,result\n"
            f"{merchant.code},2025-03-01,越秀区市场监督管理局,双随机,不合格\n",
        )
        with django_capture_on_commit_callbacks(execute=True):
            run("inspections", path)
    finally:
        archive_changed.disconnect(listener)
    assert heard == [(Inspection, {merchant.pk})]
    assert merchant.inspections.get().result == "fail"


# --- the earlier national double-publicity layout ------------------------------

EARLIER_HEADER = (
    "行政处罚决定书文号,处罚名称,处罚类别1,处罚类别2,处罚事由,处罚依据,行政相对人名称,"
    "行政相对人代码_2,行政相对人代码_1,行政相对人代码_3,行政相对人代码_4,行政相对人代码_5,"
    "法定代表人姓名,处罚结果,处罚生效期,处罚截止期,处罚机关,当前状态\n"
)


def test_the_earlier_layout_joins_numbered_categories_and_reads_code_1(tmp_path):
    merchant = MerchantFactory()
    path = write(
        tmp_path,
        EARLIER_HEADER
        + f"穗越罚〔2025〕1号,案一,警告,罚款,未明码标价,价格法,某商行,12345678-9,{merchant.code},"
        ",,,张三,警告并罚款五千元,2025/10/9,2026/10/8,越秀区市场监督管理局,0\n"
        + f"穗越罚〔2025〕2号,案二,没收违法所得,,销售过期食品,食品安全法,某商行,,{merchant.code},"
        ",,,张三,没收违法所得,2025-10-20,,越秀区市场监督管理局,0\n",
    )
    out, _err = run("penalties", path)
    assert "2 created" in out
    first = Penalty.objects.get(decision_number="穗越罚〔2025〕1号")
    assert first.penalty_types == ["warning", "fine"]
    assert first.merchant == merchant  # from 行政相对人代码_1, although _2 comes first
    assert first.decided_on == datetime.date(2025, 10, 9)
    assert first.fine_amount is None  # the layout states it only in words
    assert first.outcome == "警告并罚款五千元"
    assert Penalty.objects.get(decision_number="穗越罚〔2025〕2号").penalty_types == [
        "confiscation"
    ]


def test_the_earlier_layout_needs_a_category_in_one_of_its_columns(tmp_path):
    merchant = MerchantFactory()
    path = write(
        tmp_path,
        EARLIER_HEADER + f"穗越罚〔2025〕3号,案三,,,未明码标价,价格法,某商行,,{merchant.code},"
        ",,,张三,罚款,2025/10/9,,越秀区市场监督管理局,0\n",
    )
    message, _err = refused("penalties", path)
    assert "1 of 1 rows is bad" in message
    assert not Penalty.objects.exists()


def test_a_file_with_a_fine_column_still_needs_the_amount(tmp_path):
    merchant = MerchantFactory()
    path = write(
        tmp_path,
        "code,decision_number,decided_on,authority,violation,penalty_types,fine_amount\n"
        f"{merchant.code},穗越罚〔2025〕4号,2025-10-09,越秀区市场监督管理局,未明码标价,fine,\n",
    )
    _message, err = refused("penalties", path)
    assert "A fine needs its amount." in err


@pytest.mark.parametrize("header", ["行政相对人名称", "企业名称", "当事人名称", "市场主体名称"])
def test_merchant_names_are_read_from_the_columns_exports_use(tmp_path, header):
    PrecinctFactory(slug="beijing-road")
    code = make_code()
    path = write(
        tmp_path,
        f"统一社会信用代码,{header},kind,category,precinct\n"
        f"{code},北京路新茶行,shop,tea,beijing-road\n",
    )
    run("merchants", path)
    assert Merchant.objects.get(code=code).name_zh == "北京路新茶行"


def test_english_addresses_and_summaries_are_optional_extra_columns():
    for kind, name, _count in SAMPLE_FILES:
        run(kind, SAMPLES / name)
    assert Merchant.objects.get(code="92440104MA5CTEA016").address_en == "188 Beijing Road"
    assert Merchant.objects.get(code="92440104MA5CHW204H").address_en == ""
    inspection = Inspection.objects.get(merchant__code="92440104MA5CHW103Q")
    assert inspection.summary_en == "Some goods had no price marked; fixed on the spot."
    penalty = Penalty.objects.get(decision_number="穗越市监处罚〔2025〕101号")
    assert penalty.summary_en.startswith("Sold packaged food")
    entry = ListEntry.objects.get(list_name="abnormal_operation")
    assert entry.summary_en == "Cannot be reached at its registered address"


def test_an_english_summary_can_be_added_by_a_later_import(tmp_path):
    run("precincts", SAMPLES / "precincts.csv")
    run("merchants", SAMPLES / "merchants.csv")
    path = write(
        tmp_path,
        "统一社会信用代码,检查日期,检查机关,检查类型,检查结果,检查情况,英文摘要\n"
        "92440104MA5CTEA016,2025-03-18,广州市越秀区市场监督管理局,random,pass,未发现问题,\n",
    )
    run("inspections", path)
    path.write_text(
        path.read_text(encoding="utf-8").replace("未发现问题,", "未发现问题,No problem found."),
        encoding="utf-8",
    )
    out, _err = run("inspections", path)
    assert "inspections: 0 created, 1 changed, 0 unchanged." in out
    inspection = Inspection.objects.get()
    assert inspection.summary_en == "No problem found."
    assert inspection.audit_entries().filter(action="change").get().after == {
        "summary_en": "No problem found."
    }


# --- chunks: checked and written a chunk at a time, all or nothing -------------

PENALTY_HEADER = "code,decision_number,decided_on,authority,violation,penalty_types,fine_amount\n"


def penalty_row(code, number, decided_on="2026-06-01"):
    return f"{code},{number},{decided_on},越秀区市场监督管理局,未明码标价,罚款,2000\n"


@pytest.fixture
def moved_and_cached(client, on_a_fixed_day):
    """Two shops with their pages cached; a penalty of the first that a file moves."""
    first, second = MerchantFactory(), MerchantFactory()
    penalty = PenaltyFactory(merchant=first, decision_number="穗越罚〔2026〕1号")
    for shop in (first, second):
        assert client.get(f"/en/m/{shop.code}/").status_code == 200
    cached = {shop.code: cache.get(page_cache.key(shop.code, "en")) for shop in (first, second)}
    assert all(cached.values())
    return first, second, penalty, cached


def test_a_bad_row_late_in_a_file_undoes_the_chunks_written_before_it(
    tmp_path, import_clerk, moved_and_cached, django_capture_on_commit_callbacks
):
    first, second, penalty, cached = moved_and_cached
    rows = [penalty_row(second.code, "穗越罚〔2026〕1号")]  # moves the penalty
    rows += [penalty_row(first.code, f"穗越罚〔2026〕{n}号") for n in range(2, 7)]
    rows.append(penalty_row(first.code, "穗越罚〔2026〕3号"))  # row 8: same as row 4
    rows.append(penalty_row(first.code, "穗越罚〔2026〕9号", decided_on="2026-02-30"))  # row 9
    path = write(tmp_path, PENALTY_HEADER + "".join(rows))
    before = archive_size()

    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True) as announced,
    ):
        report = import_file("penalties", path, user=import_clerk, chunk_rows=2)

    sql = " ".join(query["sql"] for query in queries.captured_queries)
    # The first chunks were written (inside the import's transaction) before row 9 was read…
    assert 'INSERT INTO "merchants_penalty"' in sql and 'UPDATE "merchants_penalty"' in sql
    # …and every bad row is reported, in whichever chunk it came.
    assert [str(problem) for problem in sorted(report.problems, key=lambda p: p.row)] == [
        "Row 8: Same decision number as row 4.",
        "Row 9, decided_on: “2026-02-30” is not a date; write it like 2019-07-12.",
    ]
    assert report.rows == 8 and not report.written
    # Nothing stays: no penalty, no move, no audit entry, no page dropped.
    assert archive_size() == before
    assert Penalty.objects.get(pk=penalty.pk).merchant == first
    assert announced == []
    for code, html in cached.items():
        assert cache.get(page_cache.key(code, "en")) == html


def test_with_skip_bad_rows_every_chunk_but_the_bad_rows_is_written_and_announced_once(
    tmp_path, import_clerk, moved_and_cached, django_capture_on_commit_callbacks
):
    first, second, penalty, cached = moved_and_cached
    rows = [penalty_row(second.code, "穗越罚〔2026〕1号")]
    rows.append(penalty_row(first.code, "穗越罚〔2026〕2号", decided_on="2026-02-30"))  # row 3
    rows += [penalty_row(first.code, f"穗越罚〔2026〕{n}号") for n in range(4, 8)]
    path = write(tmp_path, PENALTY_HEADER + "".join(rows))
    heard = []

    def listener(sender, merchant_ids, **kwargs):
        heard.append(set(merchant_ids))

    archive_changed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = import_file(
                "penalties", path, user=import_clerk, skip_bad_rows=True, chunk_rows=2
            )
    finally:
        archive_changed.disconnect(listener)

    assert report.written and report.bad_rows == [3]
    assert (report.created, report.changed) == (4, 1)
    assert Penalty.objects.get(pk=penalty.pk).merchant == second
    assert Penalty.objects.filter(merchant=first).count() == 4
    # Only after the commit: the move's pages (both shops) and the import's own.
    assert heard and set().union(*heard) == {first.pk, second.pk}
    for code in cached:
        assert cache.get(page_cache.key(code, "en")) is None


def test_a_dry_run_in_chunks_writes_nothing_and_counts_every_chunk(
    tmp_path, import_clerk, moved_and_cached, django_capture_on_commit_callbacks
):
    first, second, _penalty, cached = moved_and_cached
    rows = [penalty_row(second.code, "穗越罚〔2026〕1号")]
    rows += [penalty_row(first.code, f"穗越罚〔2026〕{n}号") for n in range(2, 7)]
    path = write(tmp_path, PENALTY_HEADER + "".join(rows))
    before = archive_size()
    with django_capture_on_commit_callbacks(execute=True) as announced:
        report = import_file("penalties", path, user=import_clerk, dry_run=True, chunk_rows=2)
    assert (report.created, report.changed, report.unchanged) == (5, 1, 0)
    assert not report.written
    assert archive_size() == before
    assert announced == []
    for code, html in cached.items():
        assert cache.get(page_cache.key(code, "en")) == html
