"""Passwords: hashed with argon2id (argon2-cffi's defaults), checked for strength, never kept or
logged in clear."""
from __future__ import annotations

from functools import lru_cache
from importlib import resources

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from corpus.errors import UserError
from corpus.vntext import fold

MIN_LENGTH = 10
MAX_LENGTH = 256     # argon2 takes any length; a megabyte "password" is a denial of service
_HASHER = PasswordHasher()


class WeakPassword(UserError):
    """A password refused by the policy; the message says why."""


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    text = resources.files("accounts").joinpath("data/common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(_plain(line) for line in text.splitlines() if line.strip() and not line.startswith("#"))


def _plain(text: str) -> str:
    return "".join(fold(text).lower().split())


def check_strength(password: str, login: str = "") -> None:
    """Raise WeakPassword naming the problem: empty, shorter than MIN_LENGTH, too long, only a few
    distinct characters, the login itself or a common password."""
    if not password or not password.strip():
        raise WeakPassword("the password is empty")
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"the password is too short ({len(password)} characters; at least {MIN_LENGTH})")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"the password is too long (more than {MAX_LENGTH} characters)")
    if len(set(password)) < 5:
        raise WeakPassword("the password repeats too few characters (at least 5 different ones)")
    plain = _plain(password)
    if login and _plain(login) in plain:
        raise WeakPassword("the password contains the login")
    if plain in common_passwords():
        raise WeakPassword("the password is one of the commonest passwords")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _HASHER.check_needs_rehash(password_hash)


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to verify against when the login is unknown, so an unknown login takes as long as a known one."""
    return _HASHER.hash("tdkt: no such user")
