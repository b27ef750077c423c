"""Product labels for market stalls: 24 per A4 sheet with cut guides (统一印制商品标签)."""

from django.utils.translation import gettext_lazy as _

from print_templates import wording
from print_templates.drawing import A4, ACCENT, MUTED, Layout

COLUMNS, ROWS = 3, 8
LABEL_WIDTH, LABEL_HEIGHT = 64.0, 34.0
LEFT = (A4[0] - COLUMNS * LABEL_WIDTH) / 2
TOP = (A4[1] - ROWS * LABEL_HEIGHT) / 2


class LabelSheet(Layout):
    name = "label-sheet"
    title = _("Product labels (24 per A4 sheet)")
    description = _(
        "Labels 64 × 34 mm with dashed cut guides; each carries QR, stall and name. "
        "Each sheet is headed with its market and stall range; one stall alone gets a full sheet."
    )
    paper = A4
    fills_page_for_one = True

    def slots(self):
        return [
            (LEFT + column * LABEL_WIDTH, TOP + row * LABEL_HEIGHT)
            for row in range(ROWS)
            for column in range(COLUMNS)
        ]

    def draw_page(self, sheet):
        width, height = self.paper
        right, bottom = LEFT + COLUMNS * LABEL_WIDTH, TOP + ROWS * LABEL_HEIGHT
        for column in range(COLUMNS + 1):
            x = LEFT + column * LABEL_WIDTH
            sheet.guide(x, TOP, x, bottom)
            sheet.guide(x, 1, x, 3, dashed=False)  # short: the header is below
            sheet.guide(x, bottom + 2, x, height - 1, dashed=False)
        for row in range(ROWS + 1):
            y = TOP + row * LABEL_HEIGHT
            sheet.guide(LEFT, y, right, y)
            sheet.guide(1, y, LEFT - 2, y, dashed=False)
            sheet.guide(right + 2, y, width - 1, y, dashed=False)

    def draw_header(self, sheet, cards, number, count):
        """Where the sheet goes: precinct, market and stall range, and its place in the batch.

        Whoever hands out 2,100 stalls' labels sorts the sheets by this line.
        """
        first, last = cards[0], cards[-1]
        markets_zh = list(dict.fromkeys(card.precinct_zh for card in cards))
        markets_en = list(dict.fromkeys(card.precinct_en or card.precinct_zh for card in cards))
        zh = [first.area_zh, "、".join(markets_zh)]
        en = [first.area_en, " / ".join(markets_en)]
        if first.stall:
            stalls = first.stall if first.stall == last.stall else f"{first.stall} – {last.stall}"
            zh.append(f"{wording.STALLS[0]} {stalls}")
            en.append(f"{wording.STALLS[1]} {stalls}")
        if count:
            zh.append(wording.SHEET[0] % {"number": number, "count": count})
            en.append(wording.SHEET[1] % {"number": number, "count": count})
        width = COLUMNS * LABEL_WIDTH
        sheet.write_text(LEFT, 6.8, "  ·  ".join(part for part in zh if part), 8, width=width)
        sheet.write_text(
            LEFT, 10, "  ·  ".join(part for part in en if part), 5.5, width=width, colour=MUTED
        )

    def draw_card(self, sheet, card, x, y):
        qr_width = 26
        sheet.qr_block(card, x + 1.5, y + 1.5, qr_width, 4.6)
        left, width = x + qr_width + 2.5, LABEL_WIDTH - qr_width - 4
        sheet.write_text(left, y + 6, card.name_zh, 9, width=width)
        sheet.write_text(left, y + 9.3, card.name_en, 5.5, width=width, colour=MUTED)
        where_label, where = card.where
        lines = [
            f"{where_label[0]} {where_label[1]}  {where}",
            f"{wording.CREDIT_CODE[0]}  {card.code}",
            f"{wording.KIND[0]} {wording.KIND[1]}  {card.kind_text}",
            f"{wording.SERIAL[0]} {card.serial}  {wording.ISSUED[0]} {card.issued_text}",
        ]
        for index, line in enumerate(lines):
            sheet.write_text(left, y + 13 + index * 3, line, 5.6, width=width)
        sheet.write_text(left, y + 28, wording.SCAN[0], 7.5, width=width, colour=ACCENT)
        sheet.write_text(left, y + 31, wording.SCAN[1], 5.2, width=width, colour=ACCENT)


layout = LabelSheet()
