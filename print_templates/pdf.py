"""Render placards to a print-ready PDF, and a PNG preview rasterised from it."""

import io
import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from . import qr
from .drawing import Card, Sheet
from .layouts import get as get_layout

CHUNK = 100  # placards whose codes one worker encodes at a time


def _cards(placards, workers):
    """Cards in print order; with workers, QR codes are encoded in other processes.

    Encoding a QR code (choosing the best of eight masks) costs about as much
    as drawing its page, so on a multi-core machine the workers encode the
    next chunks while this process draws the current one.
    """
    if workers <= 1:
        for placard in placards:
            yield Card.from_placard(placard)
        return
    placards = iter(placards)
    context = multiprocessing.get_context("spawn")  # no inherited database connections
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = []

        def submit():
            chunk = list(itertools.islice(placards, CHUNK))
            if chunk:
                pending.append((chunk, pool.submit(qr.encode_all, [p.scan_url for p in chunk])))
            return bool(chunk)

        for _ in range(workers + 1):
            submit()
        while pending:
            chunk, future = pending.pop(0)
            submit()
            for placard, code in zip(chunk, future.result(), strict=True):
                yield Card.from_placard(placard, code)


def render(placards, template, progress=None, workers=1, total=None):
    """The PDF bytes of ``placards`` (any iterable, in print order) in ``template``.

    Cards are built one at a time from the iterable, so a queryset iterator
    keeps only the page content in memory, not 2,100 archive objects. With
    ``total`` known, each page's header can say "sheet 3 of 88". A batch of
    one card fills its page when the layout says so (a stall's label sheet).
    """
    layout = get_layout(template)
    sheet = Sheet(layout)
    slots = layout.slots()
    cards = _cards(placards, workers)
    first = list(itertools.islice(cards, 2))
    if not first:
        raise ValueError("Nothing to print: no placards were given.")
    one_filling = len(first) == 1 and layout.fills_page_for_one
    if one_filling:
        cards, pages = itertools.repeat(first[0], len(slots)), 1
    else:
        cards = itertools.chain(first, cards)
        pages = layout.sheets_for(total) if total else None
    on_page, number = [], 0
    for count, card in enumerate(cards, start=1):
        slot = (count - 1) % len(slots)
        if slot == 0:
            if on_page:
                layout.draw_header(sheet, on_page, number, pages)
            sheet.add_page()
            number += 1
            on_page = []
            layout.draw_page(sheet)
        layout.draw_card(sheet, card, *slots[slot])
        on_page.append(card)
        if progress is not None and not (one_filling and count > 1):
            progress(count)
    layout.draw_header(sheet, on_page, number, pages)
    return bytes(sheet.output())


def preview_png(placard, dpi=96):
    """A PNG of the page that carries ``placard``, drawn from its own PDF."""
    import pypdfium2

    document = pypdfium2.PdfDocument(render([placard], placard.template))
    try:
        image = document[0].render(scale=dpi / 72).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
