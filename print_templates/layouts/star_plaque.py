"""Annual star plaque (星级牌匾) for 4- and 5-star members, A4 landscape.

A plaque is told its level: publishing a rating round issues the plaques of
its 4- and 5-star members with the stars and year of their published result
(``ratings.plaques``). The print form and ``print_placards`` refuse this
template, so nobody can type a level in.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from print_templates import wording
from print_templates.drawing import A4, GOLD, INK, MUTED, Layout

PLAQUE_STARS = (4, 5)


class StarPlaque(Layout):
    name = "star-plaque"
    title = _("Annual star plaque (A4 landscape)")
    description = _(
        "For 4- and 5-star members; issued when a rating round is published, "
        "with the level of the published result."
    )
    paper = (A4[1], A4[0])
    issued_by_caller = True
    refusal = _(
        "Star plaques are issued from a published rating round, never with a typed level: "
        "publishing the round prints its 4- and 5-star plaques, and the round's "
        "“print plaques” action (manage.py print_plaques SCHEME) prints them again."
    )

    def clean_data(self, data):
        data = data or {}
        try:
            stars = int(data.get("stars"))
        except (TypeError, ValueError):
            raise ValidationError(_("A star plaque needs the number of stars.")) from None
        if stars not in PLAQUE_STARS:
            raise ValidationError(_("Plaques are awarded to 4- and 5-star members only."))
        try:
            year = int(data.get("year") or timezone.localdate().year)
        except (TypeError, ValueError):
            raise ValidationError(_("Give the year as a number.")) from None
        if not 2000 <= year <= 2100:
            raise ValidationError(_("Give a year between 2000 and 2100."))
        return {"stars": stars, "year": year}

    def draw_card(self, sheet, card, x, y):
        width, height = self.paper
        stars, year = card.data["stars"], card.data["year"]
        sheet.set_draw_color(*GOLD)
        sheet.set_line_width(1.2)
        sheet.rect(x + 8, y + 8, width - 16, height - 16)
        sheet.set_line_width(0.4)
        sheet.rect(x + 11, y + 11, width - 22, height - 22)

        title = (
            f"{year}年度 诚信{wording.STAR_NUMBERS[stars]}星商户",
            f"{year} {wording.STAR_WORDS[stars]}-Star Integrity Merchant",
        )
        sheet.pair(x + 20, y + 34, title, 30, width=width - 40, colour=GOLD)
        spacing = 20
        first = x + width / 2 - (stars - 1) * spacing / 2
        for index in range(stars):
            sheet.star(first + index * spacing, y + 62, 8, GOLD)

        sheet.write_text(x + 20, y + 90, card.name_zh, 30, width=width - 40, align="centre")
        sheet.write_text(x + 20, y + 100, card.name_en, 14, width=width - 40, align="centre")
        if card.association_zh:
            awarded = f"{wording.AWARDED_BY[0]} {wording.AWARDED_BY[1]}: {card.association_zh}"
            sheet.write_text(
                x + 20, y + 110, awarded, 11, width=width - 40, align="centre", colour=MUTED
            )

        qr_width = 58
        qr_left = x + width - 22 - qr_width
        caption = sheet.qr_block(card, qr_left, y + 120, qr_width, 8)
        sheet.write_text(
            qr_left, caption + 6, wording.SCAN[0], 11, width=qr_width, align="centre", colour=INK
        )
        sheet.write_text(
            qr_left, caption + 10, wording.SCAN[1], 7.5, width=qr_width, align="centre", colour=INK
        )

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
                x + 26,
                y + 132 + index * 9,
                label,
                value,
                12,
                width=qr_left - x - 36,
                label_width=52,
            )


layout = StarPlaque()
