"""Every management command speaks the shell's language, chosen by one rule."""

import io

import pytest
from django.core.management import CommandError, call_command

from merchants.management.language import command_language
from tests.factories import MerchantFactory, PrecinctFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("environ", "language"),
    [
        ({"LANG": "zh_CN.UTF-8"}, "zh-hans"),
        ({"LANG": "en_GB.UTF-8"}, "en"),
        ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C.UTF-8"}, "en"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh-hans"),
        ({}, "en"),
    ],
)
def test_the_first_locale_variable_set_decides(environ, language):
    assert command_language(environ) == language


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def stall(settings, tmp_path):
    settings.PLACARD_PRINT_ROOT = tmp_path
    market = PrecinctFactory(slug="haiwei", kind="market")
    return MerchantFactory(precinct=market, kind="stall", stall="A001")


def test_a_chinese_shell_gets_chinese_from_every_command(monkeypatch, stall, tmp_path):
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    printed = run(
        "print_placards",
        "--precinct",
        "haiwei",
        "--template",
        "window-sticker",
        "--out",
        str(tmp_path / "a.pdf"),
        "--verbosity",
        "0",
    )
    assert "已打印" in printed
    with pytest.raises(CommandError, match="没有"):
        run(
            "print_placards",
            "--precinct",
            "nowhere",
            "--template",
            "window-sticker",
            "--out",
            str(tmp_path / "b.pdf"),
        )
    csv = tmp_path / "precincts.csv"
    csv.write_text("slug,name_zh,kind\nnew-street,新街,street\n", encoding="utf-8")
    UserFactory(username="clerk", is_staff=True, is_superuser=True)
    imported = run("import_credit", "precincts", str(csv), "--no-progress", "--user", "clerk")
    assert "新增" in imported
    assert "created" not in imported


def test_an_english_shell_gets_english_from_every_command(stall, tmp_path):
    printed = run(
        "print_placards",
        "--precinct",
        "haiwei",
        "--template",
        "window-sticker",
        "--out",
        str(tmp_path / "a.pdf"),
        "--verbosity",
        "0",
    )
    assert "Printed 1 placard on 1 page" in printed
    csv = tmp_path / "precincts.csv"
    csv.write_text("slug,name_zh,kind\nnew-street,新街,street\n", encoding="utf-8")
    UserFactory(username="clerk", is_staff=True, is_superuser=True)
    imported = run("import_credit", "precincts", str(csv), "--no-progress", "--user", "clerk")
    assert "created" in imported.lower()
