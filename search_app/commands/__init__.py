"""Sub-commands of `tdkt`, one module each. Each module defines ``register(subparsers)`` which adds
its parser and sets ``func``. Adding a command = adding a module and naming it here."""
from __future__ import annotations

import importlib

_MODULES = ["build", "serve", "search", "cite", "show", "evaluate", "glossary_cmd", "bench", "registry_cmd", "award_cmd", "records"]


def _load():
    found = []
    for name in _MODULES:
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"{__name__}.{name}":
                continue  # not written yet
            raise
        found.append(mod.register)
    return found


REGISTRY = _load()
