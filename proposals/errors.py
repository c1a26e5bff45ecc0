"""The ways a request about a proposal or a registration fails, each a UserError whose message
names the thing and the problem; the routes answer them 404, 403 and 409 (else 400)."""
from __future__ import annotations

from corpus.errors import UserError


class NotFound(UserError):
    """No such proposal, registration, unit, attachment (404)."""


class NotAllowed(UserError):
    """The officer may not read or move this (403)."""


class WrongStatus(UserError):
    """The move does not leave the thing's present status, or it cannot be edited now (409)."""
