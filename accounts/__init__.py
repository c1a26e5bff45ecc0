"""Officers of the TĐKT offices: who may write to the records, and the log of what they did.

Users, their roles in units (viewer, editor, admin), login attempts and account events live in the
records database (their own tables and migrations: version table ``accounts_alembic_version``).
The web side (signed sessions, CSRF, the FastAPI guards) is `accounts.web`; the records package
names the actor of a record change with `accounts.audit.actor_of`.
"""
from __future__ import annotations

from .officer import ROLES, Officer, exact_unit_only

__all__ = ["ROLES", "Officer", "exact_unit_only"]
