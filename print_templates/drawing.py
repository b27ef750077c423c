"""The drawing kit every template unit uses: the sheet, the card and the layout base.

Sizes are in millimetres on the page at true size. Text is set in the embedded
CJK font; the QR code is drawn as vector rectangles, one per horizontal run of
dark modules, inside its four-module quiet zone.
"""

import logging
import math
from dataclasses import dataclass, field

from fpdf import FPDF

from . import fonts, qr, tokens, wording

A4 = (210.0, 297.0)
A5 = (148.0, 210.0)

INK = (26, 26, 26)
MUTED = (90, 90, 90)
ACCENT = (176, 30, 35)  # the red of public notice boards
GOLD = (158, 118, 38)
GUIDE = (150, 150, 150)
WHITE = (255, 255, 255)
POINT = 25.4 / 72  # millimetres in a typographic point

# The subsetter reports every table it touches at INFO; that is noise in our logs.
logging.getLogger("fontTools").setLevel(logging.WARNING)


@dataclass(frozen=True)
class Card:
    """Everything a template prints for one placard, resolved from the archive."""

    serial: str
    issued_on: object
    name_zh: str
    name_en: str
    code: str
    kind: tuple
    stall: str
    address: str
    precinct_zh: str
    precinct_en: str
    area_zh: str
    area_en: str
    title: tuple
    association_zh: str
    association_en: str
    domain: str
    qr: qr.Code
    data: dict = field(default_factory=dict)

    @classmethod
    def from_placard(cls, placard, code=None):
        """``code`` may be encoded ahead, e.g. by worker processes for a big batch."""
        merchant = placard.merchant
        precinct = merchant.precinct
        area = precinct.parent
        association = merchant.association
        serial = placard.serial
        return cls(
            serial=serial,
            issued_on=placard.issued_on,
            name_zh=merchant.name_zh,
            name_en=merchant.name_en,
            code=merchant.code,
            kind=wording.merchant_kind(merchant.kind),
            stall=merchant.stall,
            address=merchant.address,
            precinct_zh=precinct.name_zh,
            precinct_en=precinct.name_en,
            area_zh=area.name_zh if area else "",
            area_en=area.name_en if area else "",
            title=wording.placard_title(merchant.kind),
            association_zh=association.name_zh if association else "",
            association_en=association.name_en if association else "",
            domain=tokens.domain(),
            qr=code or qr.encode(tokens.scan_url(serial)),
            data=placard.data or {},
        )

    @property
    def where(self):
        """(label pair, text): the stall in its market, or the street address."""
        if self.stall:
            return wording.STALL, f"{self.stall} · {self.precinct_zh}"
        return wording.ADDRESS, self.address or self.precinct_zh

    @property
    def kind_text(self):
        return f"{self.kind[0]} {self.kind[1]}"

    @property
    def issued_text(self):
        return self.issued_on.isoformat()

    @property
    def caption(self):
        """The plain text under the code: the domain and serial, to spot a pasted-over code."""
        return f"{self.domain}  {self.serial}"


class Sheet(FPDF):
    """A PDF at true size with the CJK font embedded as a subset."""

    def __init__(self, layout):
        width, height = layout.paper
        super().__init__(
            orientation="L" if width > height else "P",
            unit="mm",
            format=(min(width, height), max(width, height)),
        )
        self.set_auto_page_break(False)
        self.set_margins(0, 0, 0)
        self.add_font(fonts.FAMILY, fname=str(fonts.font_path()), collection_font_number=0)
        self.set_font(fonts.FAMILY, size=10)
        self.set_creator("Chengxin print_templates")
        self.set_title(str(layout.title))
        self.set_lang("zh-CN")

    def write_text(self, x, y, text, size, *, width=None, align="left", colour=INK):
        """Set one line with its baseline at ``y``, shrunk to fit ``width`` if given."""
        text = str(text)
        natural = self.text_width(text, size)
        if width and natural > width:
            size, natural = size * width / natural, width
        self.set_font_size(size)
        if align == "centre":
            x = x + ((width or 0) - natural) / 2
        elif align == "right":
            x = x + (width or 0) - natural
        self.set_text_color(*colour)
        self.text(x, y, text)
        return natural

    def text_width(self, text, size):
        """Width in millimetres from the font's advance widths.

        FPDF.get_string_width runs bidirectional analysis on every call, which
        dominated batch printing; placard text is left-to-right throughout.
        """
        return self.current_font.get_text_width(text, size, None)[1] / self.k

    def pair(self, x, y, pair, size, *, width=None, align="centre", colour=INK):
        """A Chinese line with its English translation just below in a smaller size."""
        self.write_text(x, y, pair[0], size, width=width, align=align, colour=colour)
        english_size = size * 0.55
        english_baseline = y + english_size * POINT * 1.45
        self.write_text(
            x, english_baseline, pair[1], english_size, width=width, align=align, colour=colour
        )
        return english_baseline

    def labelled(self, x, y, label, value, size, *, width, label_width):
        """``统一社会信用代码 Credit code    9144…`` on one line."""
        self.write_text(x, y, f"{label[0]} {label[1]}", size * 0.8, width=label_width, colour=MUTED)
        self.write_text(x + label_width, y, value, size, width=width - label_width)

    def qr_code(self, code, x, y, width):
        """Draw ``code`` in the square at (x, y) whose side includes the quiet zone.

        The dark runs go out as one path of ``re`` operators and a single fill:
        still vectors, but a fraction of the cost of one ``rect()`` call each.
        """
        module = width / code.size_with_quiet_zone
        self.set_fill_color(*WHITE)
        self.rect(x, y, width, width, style="F")
        self.set_fill_color(0, 0, 0)
        left = x + qr.QUIET_ZONE * module
        top = y + qr.QUIET_ZONE * module
        # A hair of overlap between rows avoids light seams when a viewer anti-aliases.
        height = (module + min(0.02, module / 20)) * self.k
        ops = [
            f"{(left + column * module) * self.k:.3f} "
            f"{(self.h - top - row * module) * self.k - height:.3f} "
            f"{length * module * self.k:.3f} {height:.3f} re"
            for row, column, length in code.runs()
        ]
        ops.append("f")
        self._out("\n".join(ops))
        return module

    def qr_block(self, card, x, y, width, caption_size):
        """The QR code with the domain and serial in plain text under it."""
        self.qr_code(card.qr, x, y, width)
        baseline = y + width + caption_size * POINT * 0.9
        self.write_text(
            x, baseline, card.caption, caption_size, width=width, align="centre", colour=INK
        )
        return baseline

    def star(self, cx, cy, radius, colour):
        points = []
        for index in range(10):
            r = radius if index % 2 == 0 else radius * 0.4
            angle = math.pi / 2 + index * math.pi / 5
            points.append((cx + r * math.cos(angle), cy - r * math.sin(angle)))
        self.set_fill_color(*colour)
        self.polygon(points, style="F")

    def band(self, x, y, width, height, colour):
        self.set_fill_color(*colour)
        self.rect(x, y, width, height, style="F")

    def guide(self, x1, y1, x2, y2, dashed=True):
        self.set_draw_color(*GUIDE)
        self.set_line_width(0.15)
        if dashed:
            self.set_dash_pattern(dash=1.5, gap=1.5)
        self.line(x1, y1, x2, y2)
        self.set_dash_pattern()


class Layout:
    """One printable template. Subclass it in a module of ``print_templates/layouts/``.

    ``paper`` is (width, height) in millimetres; ``slots`` lists where each card
    on a page starts. ``clean_data`` validates what the template needs beyond the
    archive and returns what is stored on the placard.
    """

    name = ""
    title = ""
    description = ""
    paper = A4
    data_fields = ()
    #: Issued by a caller that knows each placard's data (a plaque's level comes
    #: from the published rating round), never from the print form or command.
    issued_by_caller = False
    refusal = ""

    #: A batch of one merchant fills every slot of the page with its card
    #: (a stall needs a label for each of its goods).
    fills_page_for_one = False

    def slots(self):
        return [(0.0, 0.0)]

    @property
    def per_page(self):
        return len(self.slots())

    def sheets_for(self, placards):
        """How many pages ``placards`` placards take."""
        if placards == 1 and self.fills_page_for_one:
            return 1
        return -(-placards // self.per_page)

    def clean_data(self, data):
        return {}

    def draw_page(self, sheet):
        """Page furniture drawn once per page, such as cut guides."""

    def draw_header(self, sheet, cards, number, count):
        """Drawn once a page is full: what is on it (``count`` is None when not known)."""

    def draw_card(self, sheet, card, x, y):
        raise NotImplementedError
