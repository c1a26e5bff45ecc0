"""to_markdown: what the site shows. Rendered with python-markdown and the site's extensions, a
document's text can never inject markup, every section has its anchor, tables are tables, footnotes
link both ways and citations become links."""
import markdown
import pytest

from corpus.models import Citation, Document, Section, Table
from corpus.parse import parse_file, parse_text
from corpus.render import to_markdown
from corpus.sources import iter_sources

EXTENSIONS = ["attr_list", "tables", "footnotes", "toc"]
SEEDS = {s.path.stem[:3]: s for s in iter_sources() if s.rel.startswith("seeds/")}


def html_of(doc, cite_link=None) -> str:
    return markdown.markdown(to_markdown(doc, cite_link), extensions=EXTENSIONS)


def one_section_doc(text: str, **kw) -> Document:
    sec = Section(id="dieu-1", kind="dieu", label="Điều 1", heading=kw.get("heading", "Phạm vi"), text=text,
                  level=1, path=["dieu-1"], breadcrumb=["Điều 1"])
    return Document(id="x", source_file="x.txt", doc_type="Quyết định", sections=[sec])


@pytest.mark.parametrize("text,must_not,must", [
    ("<script>alert(1)</script>", "<script>", "&lt;script&gt;"),
    ("a & b <b>bold</b>", "<b>", "&lt;b&gt;"),
    ("**không in đậm** và *nghiêng*", "<strong>", "**không in đậm**"),
    ("[bấm vào](http://evil.example)", "<a href", "[bấm vào]"),
    ("# không phải tiêu đề", "<h1 id=\"khong", "<p># không phải tiêu đề</p>"),
    ("1. không phải danh sách đánh số lại", "<ol", "1. không phải"),
    ("ô | bảng | giả", "<table", "ô | bảng | giả"),
    ("{#gia-mao}", 'id="gia-mao"', "{#gia-mao}"),
    ("`mã`", "<code>", "`mã`"),
])
def test_document_text_never_becomes_markup(text, must_not, must):
    out = html_of(one_section_doc(text))
    assert must_not not in out and must in out


def test_heading_text_is_escaped_too():
    out = html_of(one_section_doc("x", heading="<img src=x onerror=alert(1)>"))
    assert "<img" not in out and "&lt;img" in out


def test_every_section_has_its_anchor_and_articles_their_heading():
    law = parse_file(next(s for s in iter_sources() if s.rel == "extra/06_2022_QH15.txt")).documents[0]
    out = html_of(law)
    for sec in law.sections:
        assert f'id="{sec.id}"' in out, sec.id
    assert '<h3 id="chuong-1.dieu-1">Điều 1. Phạm vi điều chỉnh</h3>' in out
    assert '<h2 id="chuong-1">Chương I NHỮNG QUY ĐỊNH CHUNG</h2>' in out


def test_seed_002_task_table_is_a_table_with_quarter_rows():
    doc = parse_file(SEEDS["002"]).documents[0]
    out = html_of(doc)
    assert "<table>" in out and "<th>Nội dung nhiệm vụ chủ yếu</th>" in out
    assert "<td><strong>QUÝ I</strong></td>" in out
    assert "<td>- Ban TĐKT, Sở Nội vụ.</td>" in out


def test_seed_001_footnotes_link_both_ways():
    doc = parse_file(SEEDS["001"]).documents[0]
    out = html_of(doc)
    assert out.count('class="footnote-ref"') >= 10
    assert 'id="fn:1"' in out and 'href="#fnref:1"' in out and 'href="#fn:10"' in out
    assert "pháp luật¹" not in out   # the superscript became the reference
    assert "Đài Phát thanh và Truyền hình tỉnh phát sóng" in out


def test_citations_become_links_with_titles():
    text = "Thực hiện Chỉ thị số 19/CT-TTg ngày 16/7/2021 của Thủ tướng Chính phủ."
    doc = one_section_doc(text)
    start = text.index("Chỉ thị")
    end = text.index(" ngày")
    doc.citations = [Citation(start=start, end=end, text=text[start:end], section_id="dieu-1", target="19-ct-ttg-2021"),
                     Citation(start=0, end=9, text="Thực hiện", section_id="dieu-1")]
    links = {"19-ct-ttg-2021": ("/doc/19-ct-ttg-2021", 'Chỉ thị 19/CT-TTg "phát động thi đua"')}
    out = html_of(doc, cite_link=lambda c: links.get(c.target))
    assert '<a data-cite="0" href="/doc/19-ct-ttg-2021" title="Chỉ thị 19/CT-TTg &quot;phát động thi đua&quot;">Chỉ thị số 19/CT-TTg</a>' in out
    assert out.count("<a ") == 1   # the unresolved citation stays plain text


def test_rendering_never_fails_on_parsed_garbage():
    for text in ["", "|", "Điều 1.\n¹ chú thích", "TT\nNội dung\n1\n- x", "\t\t\n\ta\tb\n\tc\td"]:
        for doc in parse_text(text, "x.txt").documents:
            markdown.markdown(to_markdown(doc), extensions=EXTENSIONS)


def test_group_row_and_pipe_in_cells_of_a_table():
    doc = Document(id="t", source_file="t.txt", sections=[
        Section(id="bang-1", kind="table", label="Bảng 1", heading="", text="", level=1, path=["bang-1"])],
        tables=[Table(id="bang-1", section_id="bang-1", header=["TT", "Nội dung"], rows=[["I. NHÓM"], ["1", "a | b"]])])
    out = html_of(doc)
    assert "<td><strong>I. NHÓM</strong></td>" in out and "<td>a | b</td>" in out
