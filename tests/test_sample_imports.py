"""The README's sample import commands, run in order on a freshly loaded demo archive."""

import io
import re
import shlex
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict
from django.test import override_settings

from merchants import demo_data
from merchants.models import Merchant, Penalty, Precinct

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def readme_commands():
    """The import_credit lines of the README's sample block, as argument lists."""
    block = re.search(
        r"### Sample imports.*?```sh\n(.*?)```", (ROOT / "README.md").read_text(), re.S
    )
    lines = [line for line in block.group(1).splitlines() if "import_credit" in line]
    return [shlex.split(line)[2:] for line in lines]


def test_the_readme_lists_every_sample_file():
    listed = {Path(args[2]).name for args in readme_commands()}
    assert listed == {path.name for path in (ROOT / "samples").glob("*.csv")}


@override_settings(DEBUG=True)
def test_the_sample_commands_work_in_order_on_the_demo(monkeypatch):
    monkeypatch.chdir(ROOT)
    demo_data.load()
    demo_data.ensure_demo_user()
    precincts = {p.slug: model_to_dict(p) for p in Precinct.objects.all()}
    merchants = {m.code: model_to_dict(m) for m in Merchant.objects.all()}
    for args in readme_commands():
        out, err = io.StringIO(), io.StringIO()
        try:
            call_command(*args, "--no-progress", stdout=out, stderr=err)
        except CommandError as error:
            pytest.fail(f"{shlex.join(args)}: {error}\n{err.getvalue()}")
    # The demo's own precincts and merchants are as they were; the samples only add.
    assert {slug: model_to_dict(Precinct.objects.get(slug=slug)) for slug in precincts} == precincts
    assert {code: model_to_dict(Merchant.objects.get(code=code)) for code in merchants} == (
        merchants
    )
    assert set(Precinct.objects.values_list("slug", flat=True)) - set(precincts) == {
        "yide-haiwei-1",
        "yide-haiwei-2",
    }
    assert Merchant.objects.count() == len(merchants) + 6
    earlier = Penalty.objects.get(decision_number="穗越市监处罚〔2025〕315号")
    assert earlier.penalty_types == ["warning", "fine"]
    assert earlier.merchant.code == "92440104MA5CGF802P"
    assert str(earlier.decided_on) == "2025-10-09"
