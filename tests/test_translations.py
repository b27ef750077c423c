"""The zh-Hans catalogue: every public string translated, and the compiled file up to date."""

import gettext
import re
from pathlib import Path

import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def _unquote(lines):
    return "".join(
        bytes(line[1:-1], "utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")
        for line in lines
    )


def catalogue_entries():
    """(context, msgid, [msgstr…], fuzzy) for every entry of the .po file but the header."""
    text = (LOCALE / "django.po").read_text(encoding="utf-8")
    for block in text.split("\n\n"):
        fields, current, fuzzy = {}, None, False
        for line in block.splitlines():
            if line.startswith("#,") and "fuzzy" in line:
                fuzzy = True
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (".*")$', line)
            if match:
                current = match.group(1)
                fields[current] = [match.group(2)]
            elif line.startswith('"') and current:
                fields[current].append(line)
        if "msgid" not in fields or _unquote(fields["msgid"]) == "":
            continue
        strings = [_unquote(value) for key, value in fields.items() if key.startswith("msgstr")]
        context = _unquote(fields["msgctxt"]) if "msgctxt" in fields else None
        yield context, _unquote(fields["msgid"]), strings, fuzzy


def test_every_string_is_translated():
    entries = list(catalogue_entries())
    assert len(entries) > 400
    missing = [msgid for _ctx, msgid, strings, fuzzy in entries if fuzzy or not all(strings)]
    assert missing == []


def test_the_compiled_catalogue_matches_the_source():
    with (LOCALE / "django.mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for context, msgid, strings, _fuzzy in catalogue_entries():
        if context is not None:
            found = compiled.pgettext(context, msgid)
        else:
            found = compiled.gettext(msgid)
        if found != strings[0] and len(strings) == 1:
            stale.append(msgid)
    assert stale == [], "run: msgfmt -o locale/zh_Hans/LC_MESSAGES/django.mo …/django.po"


@pytest.mark.parametrize("placeholder", [r"%\(\w+\)[sd]", r"\{\w+\}"])
def test_placeholders_survive_translation(placeholder):
    broken = [
        msgid
        for _ctx, msgid, strings, _fuzzy in catalogue_entries()
        if sorted(re.findall(placeholder, msgid)) != sorted(re.findall(placeholder, strings[0]))
        and len(strings) == 1
    ]
    assert broken == []


def test_wagtail_strings_it_leaves_in_english_are_translated_by_us():
    from django.utils import translation

    from merchants.admin.wagtail_wording import WAGTAIL_STRINGS

    with translation.override("zh-hans"):
        untranslated = [text for text in WAGTAIL_STRINGS if translation.gettext(text) == text]
    assert untranslated == []


@pytest.mark.django_db
def test_the_chinese_admin_shows_no_english_wagtail_words_or_template_slugs(client):
    from tests.factories import UserFactory
    from tests.factories_print import issue

    boss = UserFactory(username="boss", is_staff=True, is_superuser=True)
    issue(template="label-sheet")
    client.force_login(boss)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "zh-hans"
    pages = {
        url: client.get(url).content.decode()
        for url in ("/admin/", "/admin/placards/", "/admin/print-jobs/new/")
    }
    for url, html in pages.items():
        visible = re.sub(r"<(script|style)[^>]*>.*?</\1>|<[^>]+>", " ", html, flags=re.S)
        for english in ("Search all pages", "Go to the first error", "Serial", "label-sheet"):
            assert english not in visible, (url, english)


ROOT = LOCALE.parent.parent.parent
TEMPLATE_DIRS = ["cms", "merchants", "ratings", "print_templates", "site"]
_VARIABLE = re.compile(r"\{\{\s*(\w+)\s*\}\}")
_BLOCK = re.compile(
    r"\{% blocktrans(?:late)?( [^%]*)?%\}(.*?)"  # options, then the singular text
    r"\{% (?:plural|endblocktrans(?:late)?) %\}",
    flags=re.S,
)


def template_msgids():
    """(template, msgid) of every {% translate %} and {% blocktranslate %} in our templates."""
    for folder in TEMPLATE_DIRS:
        for path in sorted((ROOT / folder).rglob("templates/**/*.html")):
            text = path.read_text(encoding="utf-8")
            name = str(path.relative_to(ROOT))
            for match in re.finditer(
                r"""\{% (?:translate|trans) (["'])(.*?)\1( context|\s*%\}| as )""", text
            ):
                yield name, match.group(2)
            for match in _BLOCK.finditer(text):
                options, body = match.group(1) or "", match.group(2)
                if "context" in options:
                    continue
                if "trimmed" in options:
                    body = " ".join(line.strip() for line in body.strip().splitlines())
                yield name, _VARIABLE.sub(r"%(\1)s", body)


def test_every_string_in_the_templates_is_in_the_catalogue():
    known = {msgid for _ctx, msgid, _strings, _fuzzy in catalogue_entries()}
    found = list(template_msgids())
    assert len(found) > 100
    missing = [(name, msgid) for name, msgid in found if msgid not in known]
    assert missing == [], "run makemessages (see README) and translate the new strings"
