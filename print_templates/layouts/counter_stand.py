"""Counter stand: A4 portrait for a clinic's reception desk (导诊咨询台) or a shop counter.

The title printed across the top follows the merchant's kind, so a shop's stand
is not headed as a clinic's.
"""

from django.utils.translation import gettext_lazy as _

from print_templates import wording
from print_templates.drawing import A4, ACCENT, MUTED, WHITE, Layout


class CounterStand(Layout):
    name = "counter-stand"
    title = _("Counter stand (A4 portrait)")
    description = _(
        "One placard per A4 page for a clinic's reception desk or a shop counter; "
        "titled for the merchant's kind."
    )
    paper = A4

    def draw_card(self, sheet, card, x, y):
        width, _height = self.paper
        sheet.band(x, y, width, 30, ACCENT)
        sheet.pair(
            x + 15,
            y + 15,
            card.title,
            26,
            width=width - 30,
            colour=WHITE,
        )
        sheet.write_text(x + 15, y + 48, card.name_zh, 30, width=width - 30, align="centre")
        sheet.write_text(x + 15, y + 58, card.name_en, 15, width=width - 30, align="centre")

        qr_width = 100
        caption = sheet.qr_block(card, x + (width - qr_width) / 2, y + 64, qr_width, 12)
        sheet.pair(x + 15, caption + 12, wording.SCAN, 22, width=width - 30, colour=ACCENT)

        label_width, row = 58, 9.5
        top = caption + 34
        where_label, where = card.where
        rows = [
            (wording.CREDIT_CODE, card.code),
            (wording.KIND, card.kind_text),
            (where_label, where),
            (wording.SERIAL, card.serial),
            (wording.ISSUED, card.issued_text),
        ]
        for index, (label, value) in enumerate(rows):
            sheet.labelled(
                x + 22,
                top + index * row,
                label,
                value,
                13,
                width=width - 44,
                label_width=label_width,
            )

        sheet.write_text(
            x + 12,
            y + 287,
            wording.DO_NOT_COVER[0],
            9,
            width=width - 24,
            align="centre",
            colour=MUTED,
        )
        sheet.write_text(
            x + 12,
            y + 292,
            wording.DO_NOT_COVER[1],
            7.5,
            width=width - 24,
            align="centre",
            colour=MUTED,
        )


layout = CounterStand()
