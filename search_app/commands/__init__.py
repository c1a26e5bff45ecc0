"""Sub-commands of `tdkt`, one module each. Each module defines ``register(subparsers)`` which adds
its parser and sets ``func``. Adding a command = adding a module and naming it here."""
from __future__ import annotations

import importlib

_MODULES = ["build", "serve", "search", "cite", "show", "evaluate", "glossary_cmd", "bench", "registry_cmd", "award_cmd", "user", "records"]
_MODULES += ["settings_cmd"]
_MODULES += ["proposals_cmd"]


def _load():
    """Every command's ``register``; a module named here that is missing fails loudly (an import
    error naming it), never silently leaving its command out."""
    return [importlib.import_module(f"{__name__}.{name}").register for name in _MODULES]


REGISTRY = _load()
