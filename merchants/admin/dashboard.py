"""The staff dashboard: what needs doing, one panel per app, each a few counts with links.

Each app adds its own panel from its own ``wagtail_hooks.py`` through Wagtail's
``construct_homepage_panels`` hook, and only for staff who may open the list
the counts link to; so a moderator sees reviews, a print clerk placards. A panel
computes its counts with one aggregate query per model whatever the size of the
archive.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.ui.components import Component


@dataclass(frozen=True)
class Task:
    """One line of a panel: how many things need doing, and the filtered list that shows them."""

    label: str
    #: None for a plain link (a merchant's public page).
    count: int | None
    url: str

    @classmethod
    def linked(cls, label, count, url_name, **filters):
        url = reverse(url_name)
        if filters:
            url = f"{url}?{urlencode(filters)}"
        return cls(label, count, url)


class TaskPanel(Component):
    """A dashboard panel listing ``Task``s; empty panels are still shown, saying all is done."""

    template_name = "merchants/admin/dashboard_panel.html"

    def __init__(self, name, heading, tasks, order=50):
        self.name = name
        self.heading = heading
        self.tasks = list(tasks)
        self.order = order

    def get_context_data(self, parent_context=None):
        return {"panel": self, "tasks": self.tasks}
