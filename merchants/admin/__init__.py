"""The staff admin: the toolkit every app's admin is built from, and the archive's views.

- ``permissions``: one permission policy, Django model permissions limited to
  the actions a model ever allows, and ``user_may`` for views to ask it;
- ``viewsets``: one base ViewSet without delete, copy or usage;
- the form template ``merchants/admin/action_form.html`` for one-object
  actions (withdraw a record, moderate a review);
- ``exports``: spreadsheet exports that escape formula cells;
- ``csp_widgets``: choosers and pickers that start without inline script;
- ``chooser_ids``: a chooser given a malformed id answers 404, not 500;
- ``users``: staff accounts the records refer to are refused deletion;
- ``filters`` and ``views``: the archive's own listings, inspect, audit and
  withdraw views, registered in ``merchants/wagtail_hooks.py``.
"""
