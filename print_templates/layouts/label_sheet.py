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
    description = _("Labels 64 × 34 mm with dashed cut guides; each carries QR, stall and name.")
    paper = A4

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
            sheet.guide(x, 1, x, TOP - 2, dashed=False)
            sheet.guide(x, bottom + 2, x, height - 1, dashed=False)
        for row in range(ROWS + 1):
            y = TOP + row * LABEL_HEIGHT
            sheet.guide(LEFT, y, right, y)
            sheet.guide(1, y, LEFT - 2, y, dashed=False)
            sheet.guide(right + 2, y, width - 1, y, dashed=False)

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
