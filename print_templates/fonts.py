"""The CJK font embedded (as a subset) in every placard PDF.

It must have TrueType (glyf) outlines: fpdf2 embeds and subsets those as a
CIDFontType2, so a viewer without Chinese fonts still prints the placard right.
The default is WenQuanYi Micro Hei from the ``paperang-p2-fonts-cjk`` wheel;
``PLACARD_FONT_PATH`` may point at another .ttf or .ttc with glyf outlines.
"""

from pathlib import Path

from django.conf import settings

FAMILY = "placard"


def font_path():
    if settings.PLACARD_FONT_PATH:
        return Path(settings.PLACARD_FONT_PATH)
    import paperang_p2_fonts_cjk

    return Path(paperang_p2_fonts_cjk.__file__).parent / "fonts" / "wqy-microhei.ttc"
