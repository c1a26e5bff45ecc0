"""An officer as the site sees them once logged in, and what their roles let them do.

Roles are ordered: a viewer reads, an editor also writes the unit's records, an admin also manages
the unit's officers. A role held in a unit holds for the units below it when the records say so:
``unit_ancestors(code)`` gives the units above ``code`` (xã → its tỉnh); the records package
provides it from Unit.parent. Without it only the exact unit counts (`exact_unit_only`)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

from .models import ROLE_NAMES

ROLES = ROLE_NAMES
RANK = {role: rank for rank, role in enumerate(ROLES)}
UnitAncestors = Callable[[str], Iterable[str]]


def exact_unit_only(code: str) -> Iterable[str]:
    """No hierarchy known: a role counts in its own unit only."""
    return ()


@dataclass(frozen=True)
class Officer:
    id: int
    login: str
    name: str
    roles: Mapping[str, str] = field(default_factory=dict)   # unit code → role
    session_version: int = 1

    def role_in(self, unit: str, unit_ancestors: UnitAncestors = exact_unit_only) -> str | None:
        """The highest role this officer holds in ``unit`` or a unit above it."""
        held = [self.roles[u] for u in (unit, *unit_ancestors(unit)) if u in self.roles]
        return max(held, key=RANK.__getitem__, default=None)

    def can(self, role: str | None, unit: str | None = None, unit_ancestors: UnitAncestors = exact_unit_only) -> bool:
        """Whether the officer holds at least ``role`` (None: being logged in is enough) in ``unit``
        (None: in some unit)."""
        if role is None:
            return True
        if role not in RANK:
            raise ValueError(f"unknown role {role!r} (one of {', '.join(ROLES)})")
        held = [self.role_in(unit, unit_ancestors)] if unit is not None else list(self.roles.values())
        return any(r is not None and RANK[r] >= RANK[role] for r in held)
