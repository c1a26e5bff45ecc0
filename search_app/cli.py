"""The `tdkt` command: a thin layer over the library. Each sub-command checks its input, hands the
work to the library and prints one clear line on a user's mistake (exit 2), never a traceback."""
from __future__ import annotations

import argparse
import sys

from corpus.errors import UserError

from . import commands


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tdkt", description="Knowledge base and search over Vietnamese emulation and commendation (thi đua, khen thưởng) documents.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    for register in commands.REGISTRY:
        register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except UserError as exc:
        print(f"tdkt {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"tdkt {args.command}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
