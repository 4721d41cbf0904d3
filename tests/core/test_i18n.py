"""The interface speaks Vietnamese by default and English once the user picks it.

The msgids are Vietnamese; the English catalogue must translate every one of them, and the
compiled .mo (committed as is) must match the .po it was built from.
"""

import ast
import gettext
import re
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import ObligationFactory

EN = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]")


@pytest.fixture(autouse=True)
def _restore_language():
    # LocaleMiddleware leaves the last request's language active in this thread.
    before = translation.get_language()
    yield
    translation.activate(before)


def home(client, user):
    ObligationFactory(unit=user.unit, due_on=date(2020, 3, 1))  # overdue: listed on the page
    client.force_login(user)
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def test_the_interface_is_vietnamese_by_default(client, world):
    page = home(client, world.province_manager)
    assert '<html lang="vi">' in page
    for text in ("Việc phải làm", "Theo dõi tiến độ", "Đơn vị", "Hoàn thành đúng hạn"):
        assert text in page
    assert "Obligations" not in page


def test_choosing_english_translates_the_navigation_and_the_states(client, world):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = home(client, world.province_manager)
    assert '<html lang="en">' in page
    for text in ("Obligations", "Progress", "Units", "Done on time", "Done late", "Overdue"):
        assert text in page
    assert "Việc phải làm" not in page
    assert "Hoàn thành đúng hạn" not in page


# A tiny reader of the .po format: enough for what makemessages writes.


def parse_po(path: Path) -> list[dict]:
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and not entry.get("obsolete"):
            entries.append(entry)

    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "msgctxt": None, "msgid_plural": None, "msgstr": {}}
        if line.startswith("#~"):
            entry["obsolete"] = True
        elif line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if isinstance(key, tuple):
                entry["msgstr"][key[1]] += value
            else:
                entry[key] += value
        else:
            keyword, value = line.split(" ", 1)
            value = ast.literal_eval(value)
            match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            if match:
                key = ("msgstr", int(match[1]))
                entry["msgstr"][key[1]] = value
            elif keyword == "msgstr":
                key = ("msgstr", 0)
                entry["msgstr"][0] = value
            else:
                key = keyword
                entry[key] = value
    return entries


@pytest.fixture(scope="module")
def catalogue():
    entries = parse_po(EN / "django.po")
    header = next(e for e in entries if e["msgid"] == "")
    messages = [e for e in entries if e["msgid"] != ""]
    assert messages, "the English catalogue is empty"
    return header, messages


def test_every_message_is_translated_and_none_is_fuzzy(catalogue):
    header, messages = catalogue
    assert "fuzzy" not in header["flags"]
    assert "Language: en\n" in header["msgstr"][0]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert not fuzzy, f"fuzzy entries: {fuzzy}"
    untranslated = [
        e["msgid"]
        for e in messages
        if not e["msgstr"] or not all(s.strip() for s in e["msgstr"].values())
    ]
    assert not untranslated, f"untranslated entries: {untranslated}"
    plurals = [e for e in messages if e["msgid_plural"] is not None]
    assert all(sorted(e["msgstr"]) == [0, 1] for e in plurals)


def test_translations_keep_every_placeholder(catalogue):
    _header, messages = catalogue
    for e in messages:
        expected = sorted(PLACEHOLDER.findall(e["msgid"]))
        for text in e["msgstr"].values():
            assert sorted(PLACEHOLDER.findall(text)) == expected, (e["msgid"], text)


def test_the_compiled_catalogue_matches_the_po(catalogue):
    _header, messages = catalogue
    with open(EN / "django.mo", "rb") as mo:
        compiled = gettext.GNUTranslations(mo)
    for e in messages:
        msgid = e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}"
        if e["msgid_plural"] is None:
            assert compiled.gettext(msgid) == e["msgstr"][0], msgid
        else:
            assert compiled.ngettext(msgid, e["msgid_plural"], 1) == e["msgstr"][0], msgid
            assert compiled.ngettext(msgid, e["msgid_plural"], 2) == e["msgstr"][1], msgid
    # Nothing stale: the .mo holds exactly the .po's messages (plus the header).
    keys = {k[0] if isinstance(k, tuple) else k for k in compiled._catalog} - {""}
    po_keys = {
        e["msgid"] if e["msgctxt"] is None else f"{e['msgctxt']}\x04{e['msgid']}" for e in messages
    }
    assert keys == po_keys
