"""A real knowledge base for the site tests, built once per test session from a few real texts.

The fixture corpus (copied from corpus/documents at test time, so there is one copy of each text):
- seeds/000: Công văn 1419/VKS-VP forwarding Kế hoạch 200/KH-UBND (Lạng Sơn, 2021), which
  implements Chỉ thị 19/CT-TTg and cites Chỉ thị 34-CT/TW: the directive chain;
- seeds/001: the Đề án issued with Quyết định 1657/QĐ-UBND (not in the corpus), with footnotes ¹…¹⁰;
- seeds/002: Kế hoạch 12/KH-UBND (Lạng Sơn, 2013) citing "Luật Thi đua, Khen thưởng ngày 26/11/2003",
  superseded by Luật 06/2022/QH15;
- seeds/003: Chương trình 1169/CTr-UBND (Lai Châu, 2016), hard-wrapped; it cites Chỉ thị 05-CT/TW
  as of 15/5/2011 where seeds 001 and 004 write 15/5/2016: a conflict the cited page shows;
- seeds/004: the Bắc Kạn office plan with a blank number ("Số: /KH-VP");
- extra/12_2019_TT-BNV: a circular in articles (Điều 1 …), for article anchors;
- extra/06_2022_QH15: the Law on emulation and commendation, which the glossary links to;
- a hostile plan whose text and title carry <script> and HTML, written here.

Built with build_kb(embedder=None): lexical search only, as `tdkt serve` answers at first.
"""
from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "corpus" / "documents"
FIXTURE_FILES = ["seeds/000_a299be4920220d80.txt", "seeds/001_0ad26dd208134689.txt", "seeds/002_b45f17150180dec5.txt",
                 "seeds/003_fa92d7c2e2e7d313.txt",
                 "seeds/004_0bc12b19801fe739.txt", "extra/12_2019_TT-BNV.txt", "extra/06_2022_QH15.txt"]

HOSTILE_TEXT = """ỦY BAN NHÂN DÂN
TỈNH LẠNG SƠN
Số: 777/KH-UBND

Lạng Sơn, ngày 05 tháng 3 năm 2022

KẾ HOẠCH
Thi đua <script>alert('tieu-de')</script> năm 2022

Thực hiện Chỉ thị số 34-CT/TW ngày 07/4/2014 của Bộ Chính trị về tiếp tục đổi mới công tác thi đua, khen thưởng,

I. MỤC ĐÍCH, YÊU CẦU

1. Phong trào thi đua <script>alert(1)</script> và <img src=x onerror=alert(2)> phải thiết thực & hiệu quả.

2. Chiến sĩ thi đua cơ sở được xét tặng hằng năm.
"""

_lock = threading.Lock()
_built: dict[str, Path] = {}


def site_build_dir() -> Path:
    """The build folder of the session's fixture knowledge base (built on first call)."""
    with _lock:
        if "dir" not in _built:
            from indexer.build import build_kb

            root = Path(tempfile.mkdtemp(prefix="tdkt-site-"))
            atexit.register(shutil.rmtree, root, ignore_errors=True)
            corpus = root / "corpus"
            for rel in FIXTURE_FILES:
                (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(DOCS / rel, corpus / rel)
            (corpus / "hostile").mkdir()
            (corpus / "hostile" / "777_KH-UBND.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
            build_kb(corpus, root / "build", embedder=None)
            _built["dir"] = root / "build"
        return _built["dir"]


def open_site_kb():
    from indexer.kb import KnowledgeBase

    return KnowledgeBase.open(site_build_dir())
