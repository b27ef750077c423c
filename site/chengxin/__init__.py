"""Project-wide layer: settings, URLs and WSGI for Chengxin.

It lives in the ``site/`` folder but is imported as ``chengxin`` because a
top-level package named ``site`` is shadowed by Python's own ``site`` module.
``manage.py`` and ``chengxin.wsgi`` users put ``site/`` on ``sys.path``.
"""
