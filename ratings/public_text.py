"""Text typed by the public, made plain before it is stored or matched.

Invisible characters let a comment look like one thing and be another: a
zero-width space or soft hyphen inside a banned word slips past the filter; a
right-to-left override makes a comment read backwards on the page. So every
comment is put into NFKC form (full-width letters and digits and other
compatibility forms become their plain equivalents: ｆｕｃｋ, 𝐟𝐮𝐜𝐤 → fuck),
and every format character (Unicode category Cf: zero-width spaces and
joiners, soft hyphen, bidi embeddings, overrides and isolates, the BOM) and
control character other than newline and tab is removed.

One exception when storing: full-width punctuation (，！？：（）) is how
Chinese is written, so it is kept as typed rather than turned into ASCII.
It hides no letters; matching (``folded``) applies NFKC to it too.
"""

import re
import unicodedata

KEPT_CONTROLS = {"\n", "\t"}
# Full-width forms of ASCII punctuation (not letters or digits): U+FF01–FF0F,
# FF1A–FF20, FF3B–FF40, FF5B–FF5E.
_FULL_WIDTH_PUNCTUATION = re.compile("([\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff5e])")


def _visible(text):
    return "".join(
        char
        for char in text
        if char in KEPT_CONTROLS or unicodedata.category(char) not in {"Cf", "Cc"}
    )


def plain(text):
    """``text`` as stored: NFKC except full-width punctuation, no invisible characters."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    parts = _FULL_WIDTH_PUNCTUATION.split(text)
    # Odd parts are the punctuation kept; NFKC of the rest, a run at a time.
    text = "".join(
        part if index % 2 else unicodedata.normalize("NFKC", part)
        for index, part in enumerate(parts)
    )
    return _visible(text)


def folded(text):
    """``text`` as matched: full NFKC, no invisible characters, case-folded, no whitespace."""
    text = _visible(unicodedata.normalize("NFKC", text or ""))
    return "".join(text.casefold().split())
