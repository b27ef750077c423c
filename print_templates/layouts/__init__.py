"""The template units. Each module here defines ``layout``, an instance of
``print_templates.drawing.Layout``; adding a template is adding one module.
"""

import functools
import importlib
import pkgutil


@functools.cache
def registry():
    """Template name -> layout, discovered from the modules of this package."""
    found = {}
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        layout = getattr(module, "layout", None)
        if layout is None:
            continue
        if layout.name in found:
            raise ValueError(f"Two print templates are named {layout.name!r}.")
        found[layout.name] = layout
    return dict(sorted(found.items()))


def get(name):
    try:
        return registry()[name]
    except KeyError:
        raise LookupError(f"No print template is named {name!r}.") from None


def choices():
    return [(name, layout.title) for name, layout in registry().items()]
