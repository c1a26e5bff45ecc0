"""`tdkt bench` end to end on a tiny corpus: the report a user reads has every number it promises
(no timing assertions: speed is measured by the command, not by tests)."""
from __future__ import annotations

import json

import pytest

from tooling.bench import QUERIES, format_report, percentiles, run_bench
from search_app.cli import main


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "r.json"
    code = main(["bench", "--sizes", "120", "--engines", "whoosh,sqlite", "--embed-sample", "0",
                 "--repeat", "1", "--inprocess", "--json", str(out)])
    assert code == 0
    return json.loads(out.read_text(encoding="utf-8"))


def test_report_has_build_size_memory_and_latency_per_engine(report):
    assert report["machine"]["cpus"] >= 1
    (run,) = report["runs"]
    assert run["size"] == 120 and run["corpus"] == "synthetic"
    b = run["build"]
    assert b["passages"] == 120 and b["provinces"] > 3 and b["with_citations"] > 20
    assert set(b["build"]) == {"whoosh", "sqlite"}
    for e in ("whoosh", "sqlite"):
        assert b["build"][e]["seconds"] > 0 and b["build"][e]["index_bytes"] > 10_000
        q = run["query"][e]
        assert q["engine_top10_ms"]["n"] == len(QUERIES)
        assert {"p50", "p95", "p99"} <= set(q["engine_top10_ms"])
        assert q["searcher_ms"]["lexical"]["n"] == len(QUERIES)
        assert "hybrid" not in q["searcher_ms"]  # no embedder asked: not measured, not invented
        assert q["serving_peak_mb"] > 20
        assert q["engine_top10_cpu_ms"]["n"] == len(QUERIES)
    assert b["peak_mb"] > 20
    assert set(run["ratios"]["sqlite"]) >= {"build_time", "index_size", "p95_top10", "serving_memory"}


def test_targets_say_not_measured_rather_than_guess(report):
    hybrid = [t for t in report["targets"] if t["target"].startswith("hybrid")]
    assert hybrid and all(t["met"] is None for t in hybrid)
    build = [t for t in report["targets"] if t["target"].startswith("lexical build") and t["kind"] == "target"]
    assert build and all(isinstance(t["met"], bool) for t in build)
    cost = [t for t in report["targets"] if t["kind"] == "cost"]
    assert cost and all(t["met"] is None for t in cost)      # CPU time is shown, never judged


def test_table_names_every_engine_and_the_targets(report):
    text = format_report(report)
    assert "whoosh" in text and "sqlite" in text and "sqlite / whoosh" in text
    assert "targets" in text and "not measured" in text


@pytest.mark.parametrize("argv,message", [
    (["bench", "--sizes", "ten"], "--sizes"),
    (["bench", "--sizes", "5"], "at least 10"),
    (["bench", "--engines", "whoosh,lucene"], "unknown engine"),
    (["bench", "--corpus", "bulk"], "--bulk-dir"),
    (["bench", "--bulk-dir", "/nonexistent"], "phapdien_articles"),
])
def test_user_mistakes_are_one_line_errors(argv, message, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("samples,p50,p95", [([1.0] * 10, 1.0, 1.0), (list(range(1, 101)), 50.5, 95.05)])
def test_percentiles(samples, p50, p95):
    r = percentiles([float(x) for x in samples])
    assert r["p50"] == p50 and r["p95"] == p95 and r["n"] == len(samples)


def test_http_only_report_reads_without_engine_tables():
    load = {"p50": 40.0, "p95": 90.0, "p99": 120.0, "n": 200, "clients": 4, "errors": 0, "requests_per_s": 30.0}
    report = {"machine": {"cpus": 2, "python": "3.11"}, "vectors_note": "random vectors",
              "runs": [{"corpus": "synthetic", "size": 100000, "build": {"skipped": "--http-only"}, "query": {},
                        "http": {"engine": "tantivy", "tdkt_build_s": 300.0, "tdkt_build_sections_per_s": 333.3,
                                 "lexical": {"cold_start_s": 9.0, "ready_s": 9.0, "load_ms": load, "server_peak_mb": 900},
                                 "hybrid": {"error": "server did not answer in hybrid mode within 300 s"}}}],
              "targets": []}
    text = format_report(report)
    assert "skipped (--http-only)" in text
    assert "tdkt build (tantivy): 300.0 s" in text
    assert "http lexical: cold start 9.0 s" in text and "p95 90.0" in text
    assert "http hybrid: server did not answer" in text


def test_engines_option_chooses_what_is_built_and_measured(tmp_path):
    """`--engines tantivy` builds and queries tantivy alone (no Whoosh: at 100k its build was 545 s
    of the run); the report then has no ratios to Whoosh rather than invented ones."""
    pytest.importorskip("tantivy")
    out = tmp_path / "r.json"
    assert main(["bench", "--sizes", "60", "--engines", "tantivy", "--embed-sample", "0",
                 "--repeat", "1", "--inprocess", "--json", str(out)]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    (run,) = report["runs"]
    assert report["settings"]["engines"] == ["tantivy"]
    assert set(run["build"]["build"]) == {"tantivy"} and set(run["query"]) == {"tantivy"}
    assert run["ratios"] == {}
    assert {t["engine"] for t in report["targets"]} == {"tantivy"}
    assert "whoosh" not in format_report(report)


def test_engines_option_needs_one_engine(capsys):
    assert main(["bench", "--engines", ","]) == 2
    assert "at least one engine" in capsys.readouterr().err
