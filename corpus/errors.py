"""Errors a user can cause and fix. Each carries one clear line naming the input and the problem."""
from __future__ import annotations


class UserError(Exception):
    """A mistake in what the user gave us (a path, a query, an option). Shown as one line, no traceback."""


class SourceError(UserError):
    """A corpus file that cannot be turned into documents (empty, binary, undecodable, too big)."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")
