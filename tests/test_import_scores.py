"""``import_credit scores FILE``: indicator scores, all or nothing, within the importer's roles."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from merchants.audit import AuditEntry
from ratings import computation
from ratings.models import Round, Score
from tests.factories import AssociationFactory, MerchantFactory
from tests.factories_ratings import load_sample_scheme

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_a_fixed_day")]
HEADER = "code,scheme,indicator,points,evidence\n"


@pytest.fixture
def market(association_officer):
    scheme, precinct, chamber = load_sample_scheme("yide-road-2026")
    ours = MerchantFactory(precinct=precinct, association=chamber)
    other_chamber = AssociationFactory()
    theirs = MerchantFactory(precinct=precinct, association=other_chamber)
    return scheme, ours, theirs


def write(tmp_path, *lines, encoding="utf-8"):
    path = tmp_path / "scores.csv"
    path.write_bytes((HEADER + "".join(line + "\n" for line in lines)).encode(encoding))
    return str(path)


def test_scores_are_imported_with_evidence_and_audited(tmp_path, market, capsys):
    _scheme, ours, _theirs = market
    path = write(
        tmp_path,
        f"{ours.code},yide-road-2026,pricing,9.5,价签抽查 20 件全部合格",
        f"{ours.code},yide-road-2026,complaints,10,",
    )

    call_command("import_credit", "scores", path, "--user", "officer", "--no-progress")

    scores = {s.indicator: s for s in Score.objects.filter(merchant=ours)}
    assert scores["pricing"].points == 9.5
    assert scores["pricing"].evidence == "价签抽查 20 件全部合格"
    entry = AuditEntry.objects.for_object(scores["pricing"]).get()
    assert (entry.action, entry.source, entry.actor.username) == ("create", "import", "officer")
    assert "2 created" in capsys.readouterr().out


def test_reimporting_a_changed_score_changes_it_with_an_audit_entry(tmp_path, market):
    _scheme, ours, _theirs = market
    call_command(
        "import_credit",
        "scores",
        write(tmp_path, f"{ours.code},yide-road-2026,pricing,9,"),
        "--user",
        "officer",
    )

    call_command(
        "import_credit",
        "scores",
        write(tmp_path, f"{ours.code},yide-road-2026,pricing,7,"),
        "--user",
        "officer",
    )

    score = Score.objects.get()
    assert score.points == 7
    change = AuditEntry.objects.for_object(score).get(action="change")
    assert (change.before["points"], change.after["points"]) == ("9.00", "7.00")


def test_association_staff_are_refused_on_another_associations_members(tmp_path, market):
    _scheme, ours, theirs = market
    path = write(
        tmp_path,
        f"{ours.code},yide-road-2026,pricing,9,",
        f"{theirs.code},yide-road-2026,pricing,9,",
    )

    with pytest.raises(CommandError, match="1 of 2 rows is bad, so nothing was written"):
        call_command("import_credit", "scores", path, "--user", "officer")

    assert not Score.objects.exists()


def test_a_user_without_a_rating_role_is_refused(tmp_path, market, outsider, capsys):
    _scheme, ours, _theirs = market
    path = write(tmp_path, f"{ours.code},yide-road-2026,pricing,9,")

    with pytest.raises(CommandError):
        call_command("import_credit", "scores", path, "--user", "outsider")

    assert "You may not score this merchant" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{code},no-such-scheme,pricing,9,", "No rating scheme has the slug"),
        ("{code},yide-road-2026,licences,8,", "no entered indicator “licences”"),
        ("{code},yide-road-2026,pricing,11,", "takes 0.00 to 10.00 points, not 11.00"),
        ("{code},yide-road-2026,pricing,lots,", "is not a number of points"),
    ],
)
def test_bad_rows_are_reported(tmp_path, market, capsys, line, message):
    _scheme, ours, _theirs = market

    with pytest.raises(CommandError):
        call_command(
            "import_credit",
            "scores",
            write(tmp_path, line.format(code=ours.code)),
            "--user",
            "officer",
        )

    assert message in capsys.readouterr().err
    assert not Score.objects.exists()


def test_a_published_schemes_scores_are_frozen(tmp_path, market, capsys):
    scheme, ours, _theirs = market
    round_ = Round(scheme=scheme)
    round_.save()
    computation.run(round_)
    round_.publish()

    with pytest.raises(CommandError):
        call_command(
            "import_credit",
            "scores",
            write(tmp_path, f"{ours.code},yide-road-2026,pricing,9,"),
            "--user",
            "officer",
        )

    assert "is published: its scores are frozen" in capsys.readouterr().err


def test_gb18030_file_with_chinese_headers(tmp_path, market):
    _scheme, ours, _theirs = market
    path = tmp_path / "scores.csv"
    path.write_bytes(
        f"统一社会信用代码,评价方案,指标,得分,依据\n{ours.code},yide-road-2026,pricing,8,现场检查\n".encode(
            "gb18030"
        )
    )

    call_command("import_credit", "scores", str(path), "--user", "officer")

    assert Score.objects.get().evidence == "现场检查"
