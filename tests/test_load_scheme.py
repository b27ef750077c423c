"""``load_scheme``: the shipped samples load; bad files are refused with the reason."""

import json

import pytest
from django.core.management import CommandError, call_command

from merchants.audit import AuditEntry
from ratings.models import Scheme
from tests.factories import AssociationFactory, PrecinctFactory
from tests.factories_ratings import SAMPLE_SCHEMES, sample_definition

pytestmark = pytest.mark.django_db


@pytest.fixture
def places():
    for slug in ("yide-road", "beijing-road", "yuexiu"):
        PrecinctFactory(slug=slug)
    AssociationFactory(slug="yide-road-chamber")
    AssociationFactory(slug="beijing-road-chamber")


def test_the_three_samples_load_and_a_second_load_changes_nothing(places, capsys):
    files = sorted(str(path) for path in SAMPLE_SCHEMES.glob("*.yaml"))

    call_command("load_scheme", *files)
    call_command("load_scheme", *files)

    schemes = {scheme.slug: scheme for scheme in Scheme.objects.all()}
    assert set(schemes) == {
        "beijing-road-2026",
        "yide-road-2026",
        "yuexiu-credit-grade-2026",
    }
    assert all(scheme.version == 1 for scheme in schemes.values())
    yide = schemes["yide-road-2026"].rules
    assert (len(yide.aspects), len(yide.indicators)) == (4, 12)
    assert len(schemes["yuexiu-credit-grade-2026"].rules.indicators) == 25
    assert schemes["yide-road-2026"].association.slug == "yide-road-chamber"
    assert "Created scheme yide-road-2026" in capsys.readouterr().out


def test_a_changed_json_file_makes_a_new_audited_version(places, tmp_path):
    path = tmp_path / "yide.json"
    path.write_text(json.dumps(sample_definition("yide-road-2026")), encoding="utf-8")
    call_command("load_scheme", str(path))
    path.write_text(
        json.dumps(sample_definition("yide-road-2026", name_en="Yide Road stars")),
        encoding="utf-8",
    )

    call_command("load_scheme", str(path))

    scheme = Scheme.objects.get(slug="yide-road-2026")
    assert (scheme.version, scheme.name_en) == (2, "Yide Road stars")
    changes = AuditEntry.objects.for_object(scheme).filter(action="change")
    assert changes.get().after["name_en"] == "Yide Road stars"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"precinct": "nowhere"}, "No precinct has the slug “nowhere”"),
        ({"year": "last"}, "“year” must be a year"),
        (
            {"levels": [{"key": "1", "name_zh": "一星", "min": 10}], "caps": []},
            "lowest\\) level must have no",
        ),
        ({"caps": [{"measure": "moon_phase", "level": "4"}]}, "measure must be one of"),
    ],
)
def test_bad_definitions_are_refused_with_the_reason(places, tmp_path, changes, message):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(sample_definition("yide-road-2026", **changes)), encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("load_scheme", str(path))
    assert not Scheme.objects.exists()


def test_a_file_that_is_not_yaml_is_refused(places, tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("slug: [unclosed", encoding="utf-8")

    with pytest.raises(CommandError, match="not valid YAML or JSON"):
        call_command("load_scheme", str(path))
