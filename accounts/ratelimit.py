"""Login rate limit: after too many failed logins for one login, or from one client address, within
a window, further tries are refused until the oldest failure leaves the window — whatever the
password, so guessing gains nothing. A successful login clears the login's count.

Per client the bound is higher: the officers of one office often share one address."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from .models import LoginAttempt

WINDOW = dt.timedelta(minutes=15)
MAX_FAILURES_PER_LOGIN = 5
MAX_FAILURES_PER_CLIENT = 20
KEEP = dt.timedelta(days=2)     # attempts older than this are deleted


@dataclass(frozen=True)
class Limit:
    window: dt.timedelta = WINDOW
    per_login: int = MAX_FAILURES_PER_LOGIN
    per_client: int = MAX_FAILURES_PER_CLIENT


def wait_needed(session: Session, login: str, client: str, now: dt.datetime, limit: Limit = Limit()) -> dt.timedelta | None:
    """How long ``login`` from ``client`` must wait before trying again, or None."""
    since = now - limit.window
    last_ok = session.scalar(select(func.max(LoginAttempt.at)).where(LoginAttempt.login == login, LoginAttempt.succeeded))
    login_since = max(since, last_ok) if last_ok else since
    waits = []
    for column, value, bound, start in ((LoginAttempt.login, login, limit.per_login, login_since),
                                        (LoginAttempt.client, client, limit.per_client, since)):
        failures = session.scalars(select(LoginAttempt.at).where(column == value, ~LoginAttempt.succeeded,
                                                                 LoginAttempt.at > start)
                                   .order_by(LoginAttempt.at.desc()).limit(bound)).all()
        if len(failures) >= bound:
            waits.append(failures[-1] + limit.window - now)   # when the bound-th newest failure leaves the window
    return max(waits) if waits else None


def note_attempt(session: Session, login: str, client: str, succeeded: bool, now: dt.datetime) -> None:
    session.add(LoginAttempt(login=login, client=client, succeeded=succeeded, at=now))
    session.execute(delete(LoginAttempt).where(LoginAttempt.at < now - KEEP))


def minutes_text(wait: dt.timedelta) -> str:
    """The wait in whole minutes, rounded up, in Vietnamese ("3 phút")."""
    minutes = max(1, -(-int(wait.total_seconds()) // 60))
    return f"{minutes} phút"
