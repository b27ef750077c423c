"""Shop window sticker: A5 portrait, scanned from the pavement through the glass."""

from django.utils.translation import gettext_lazy as _

from print_templates import wording
from print_templates.drawing import A5, ACCENT, MUTED, WHITE, Layout


class WindowSticker(Layout):
    name = "window-sticker"
    title = _("Shop window sticker (A5)")
    description = _("One sticker per A5 page; the code is large enough to scan from a metre.")
    paper = A5

    def draw_card(self, sheet, card, x, y):
        width, _height = self.paper
        sheet.band(x, y, width, 20, ACCENT)
        sheet.pair(
            x + 10,
            y + 10,
            ("诚信经营 信用公示", "Integrity Credit Notice"),
            18,
            width=width - 20,
            colour=WHITE,
        )
        sheet.write_text(x + 10, y + 32, card.name_zh, 20, width=width - 20, align="centre")
        sheet.write_text(x + 10, y + 39, card.name_en, 10.5, width=width - 20, align="centre")

        qr_width = 84
        caption = sheet.qr_block(card, x + (width - qr_width) / 2, y + 43, qr_width, 10)
        sheet.pair(x + 10, caption + 9, wording.SCAN, 16, width=width - 20, colour=ACCENT)

        label_width, row = 40, 7
        top = caption + 25
        where_label, where = card.where
        rows = [
            (wording.CREDIT_CODE, card.code),
            (wording.KIND, card.kind_text),
            (where_label, where),
            (wording.SERIAL, f"{card.serial}    {wording.ISSUED[0]} {card.issued_text}"),
        ]
        for index, (label, value) in enumerate(rows):
            sheet.labelled(
                x + 12,
                top + index * row,
                label,
                value,
                9.5,
                width=width - 24,
                label_width=label_width,
            )

        sheet.write_text(
            x + 8,
            y + 202,
            wording.DO_NOT_COVER[0],
            6.5,
            width=width - 16,
            align="centre",
            colour=MUTED,
        )
        sheet.write_text(
            x + 8,
            y + 206,
            wording.DO_NOT_COVER[1],
            5.5,
            width=width - 16,
            align="centre",
            colour=MUTED,
        )


layout = WindowSticker()
