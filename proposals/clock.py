"""Today's date for the proposals: the day a proposal is checked and sent, deadlines counted from.
One function, so that a test can set the day the rules are read on (the pre-send check depends on
it: Bắc Ninh's 10/12 deadline, the 6-month age of an achievement)."""
from __future__ import annotations

import datetime as _dt


def today() -> _dt.date:
    return _dt.date.today()
