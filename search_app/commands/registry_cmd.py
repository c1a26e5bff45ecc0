"""`tdkt registry import-national PATH`: make corpus/data/national_documents.jsonl.gz (the national
registry) from the Bộ pháp điển's document metadata (../shared/bulk/phapdien_documents.jsonl.gz).
`tdkt registry learn-laws PATH`: learn the laws newer than it from real texts' căn cứ lines
(corpus/learn_laws.py) into corpus/data/learned_laws.yaml."""
from __future__ import annotations

from pathlib import Path

from corpus.errors import UserError


def register(sub) -> None:
    p = sub.add_parser("registry", help="the registry of known documents")
    rs = p.add_subparsers(dest="registry_cmd", required=True)
    imp = rs.add_parser("import-national", help="convert the pháp điển document list into the national registry data file")
    imp.add_argument("path", type=Path, help="phapdien_documents.jsonl.gz (e.g. ../shared/bulk/phapdien_documents.jsonl.gz)")
    imp.add_argument("--out", type=Path, help="where to write (default corpus/data/national_documents.jsonl.gz)")
    imp.set_defaults(func=run)
    learn = rs.add_parser("learn-laws", help="learn laws the registry lacks from the căn cứ lines of real texts",
                          description="Read texts (a JSON-lines file of official texts with 'id' and 'text', "
                                      "gzipped or not, such as tnt305_official_docs.jsonl.gz, or a folder of .txt "
                                      "files) and write the laws whose name, number and date at least two texts "
                                      "agree on, each with the texts it came from.")
    learn.add_argument("path", type=Path, help="the texts: a .jsonl[.gz] file or a folder of .txt files")
    learn.add_argument("--holdout", type=Path, action="append", default=[],
                       help="a passage gold set (tests/gold/tnt305_citations.yaml): its source documents are not "
                            "learned from, so the set still measures text the registry has not seen")
    learn.add_argument("--min-sources", type=int, default=2, help="texts that must agree on a fact (default 2)")
    learn.add_argument("--out", type=Path, help="where to write (default corpus/data/learned_laws.yaml)")
    learn.set_defaults(func=run_learn)


def run(args) -> int:
    from corpus.national import NATIONAL_FILE, convert

    if not args.path.is_file():
        raise UserError(f"{args.path}: no such file (the pháp điển document list, phapdien_documents.jsonl.gz)")
    try:
        n = convert(args.path, args.out or NATIONAL_FILE)
    except (OSError, EOFError) as exc:
        raise UserError(f"{args.path}: cannot be read as JSON lines ({exc})") from exc
    print(f"{n} national documents written to {args.out or NATIONAL_FILE}")
    return 0


def _texts(path: Path, skip: set[str]):
    import gzip
    import json
    if path.is_dir():
        for f in sorted(path.rglob("*.txt")):
            if f.stem not in skip:
                yield f.name, f.read_text(encoding="utf-8", errors="replace")
        return
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            try:
                row = json.loads(line)
            except ValueError:
                continue
            if not isinstance(row, dict) or not row.get("text") or row.get("id") in skip:
                continue
            label = " ".join(str(x) for x in (row.get("so_hieu"), f"({row.get('id')})") if x and x != "None")
            yield label or f"line {n}", row["text"]


def run_learn(args) -> int:
    import yaml

    from corpus.learn_laws import LEARNED_FILE, learn_laws, write
    from corpus.registry import Registry, key
    from corpus.vntext import nfc

    if not args.path.exists():
        raise UserError(f"{args.path}: no such file or folder (texts to learn from)")
    skip: set[str] = set()
    for h in args.holdout:
        try:
            skip |= {str(p["doc"]) for p in yaml.safe_load(h.read_text(encoding="utf-8")) or [] if isinstance(p, dict) and p.get("doc")}
        except (OSError, yaml.YAMLError, TypeError) as exc:
            raise UserError(f"{h}: cannot read the hold-out gold set ({exc})") from exc
    known = {key(e.canonical) for e in Registry.load().entries if e.canonical and e.origin != "learned"}
    try:
        rows = learn_laws(((label, nfc(text)) for label, text in _texts(args.path, skip)), known, args.min_sources)
    except (OSError, EOFError) as exc:
        raise UserError(f"{args.path}: cannot be read ({exc})") from exc
    out = args.out or LEARNED_FILE
    held = f"; {len(skip)} hold-out documents left out ({', '.join(str(h.name) for h in args.holdout)})" if skip else ""
    write(rows, out, provenance=f"Learned from {args.path.name}{held}; at least {args.min_sources} texts per fact.")
    print(f"{len(rows)} laws learned, written to {out}")
    return 0
