"""The JSON API's response models: what each route answers, declared so /openapi.json describes it.

Every model allows fields it does not name (``extra="allow"``): the API may add fields without
breaking a client, and the routes answer with ``response_model_exclude_unset`` so a response holds
exactly the fields its view function produced (none invented with a default). The error body of
every 400, 404, 409 and 503 is ``ErrorBody``.
"""
from __future__ import annotations

import datetime as _dt
from typing import Annotated, Any, Literal, Union

from fastapi import Path
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

# A database row id in a URL (records, proposals): a positive 32-bit integer, else 422.
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class Open(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


# --- shared ------------------------------------------------------------------------------
class ErrorBody(Open):
    detail: str = Field(description="thông báo lỗi bằng tiếng Việt")
    status: int = Field(description="mã trạng thái HTTP")


class PartialDate(Open):
    year: int | None = None
    month: int | None = None
    day: int | None = None


DateValue = Union[str, PartialDate, None]


class Badge(Open):
    state: str = Field(description="in_force · superseded · expired · partly_amended · not_yet_in_force · unknown")
    label: str = Field(description="tình trạng bằng tiếng Việt (Còn hiệu lực, Đã bị thay thế …)")
    css: str | None = None
    title: str | None = None
    inferred: bool | None = None
    ended: bool | None = None


class Status(Open):
    """Tình trạng hiệu lực (docs/MODEL.md, Status)."""
    state: str | None = None
    label: str | None = None
    effective: str | None = None
    ended: str | None = None
    replaced_by: list[str] | None = None
    amended_by: list[str] | None = None
    source: str | None = None
    inferred: bool | None = None
    note: str | None = None
    successor: str | None = None
    provisions: list[dict[str, Any]] | None = None


class DocInfo(Open):
    """Một văn bản được nêu tên: trong kho (từ manifest) hoặc chỉ được trích dẫn (từ danh mục)."""
    id: str | None = None
    label: str | None = Field(None, description="“Kế hoạch 200/KH-UBND”")
    doc_type: str | None = None
    symbol: str | None = None
    title: str | None = None
    issuer: str | None = None
    date: DateValue = None
    date_display: str | None = None
    in_corpus: bool | None = None
    url: str | None = None


class DocRef(Open):
    """Văn bản thay thế / sửa đổi một văn bản, với tình trạng của chính nó."""
    id: str | None = None
    label: str | None = None
    title: str | None = None
    date: str | None = None
    in_corpus: bool | None = None
    url: str | None = None
    badge: Badge | None = None


class EdgeItem(Open):
    id: str | None = None
    label: str | None = None
    title: str | None = None
    date: str | None = None
    in_corpus: bool | None = None
    url: str | None = None
    text: str | None = None
    section_id: str | None = None
    source: str | None = None
    source_url: str | None = None
    count: int | None = Field(None, description="số lần trích dẫn văn bản này trong nhóm")


class RelationGroup(Open):
    relation: str = Field(description="basis · implements · guides · amends · replaces · repeals · attached_to · forwards · mentions")
    label: str = Field(description="tên quan hệ bằng tiếng Việt (Căn cứ, Thực hiện …)")
    items: list[EdgeItem]


# --- search ------------------------------------------------------------------------------
class EmbeddingStatus(Open):
    state: str = Field(description="lexical-only · embedding · ready")
    done: int | None = None
    total: int | None = None
    message: str | None = None


class SameRow(Open):
    """Một văn bản khác lặp lại nội dung của kết quả (các đoạn gần trùng được gộp)."""
    doc_id: str | None = None
    url: str | None = None
    doc_type: str | None = None
    symbol: str | None = None
    label: str | None = None
    title: str | None = None
    state: str | None = None
    status_label: str | None = None
    css: str | None = None


class MoreRow(Open):
    """Một đoạn khớp khác của văn bản (kết quả gộp theo văn bản)."""
    section_id: str | None = None
    url: str
    crumbs: str | None = None
    score: float | None = None
    snippet: str = Field(description="đoạn trích, các từ khớp đánh dấu <mark>…</mark>")


class SearchResult(Open):
    doc_id: str
    section_id: str | None = None
    url: str
    doc_type: str | None = None
    symbol: str | None = None
    title: str | None = None
    issuer: str | None = None
    province: str | None = None
    date: DateValue = None
    date_display: str | None = None
    heading: str | None = None
    breadcrumb: list[str] = []
    crumbs: str | None = None
    codified: bool | None = None
    score: float
    snippet: str = Field(description="đoạn trích, các từ khớp đánh dấu <mark>…</mark> (HTML đã thoát ký tự)")
    state: str
    status_label: str
    badge: Badge | None = None
    status: Status | None = None
    same: list[SameRow] = []
    label: str | None = Field(None, description="“Kế hoạch 200/KH-UBND”; văn bản để trống số: “Kế hoạch không số”")
    draft: bool | None = Field(None, description="văn bản là dự thảo")
    more: list[MoreRow] = Field([], description="group=doc: các đoạn khớp khác của cùng văn bản (tối đa 3)")
    more_count: int | None = Field(None, description="group=doc: số đoạn khớp khác của văn bản này")


class FacetItem(Open):
    value: str
    count: int
    active: bool
    url: str


class FacetGroup(Open):
    key: str
    label: str
    items: list[FacetItem]


class LinkText(Open):
    text: str | None = None
    label: str | None = None
    url: str | None = None


class DocumentCard(DocInfo):
    """Thẻ “Văn bản” cho số hiệu đã gõ, với tình trạng tại ngày của ngữ cảnh."""
    badge: Badge | None = None
    state: str | None = None
    status_label: str | None = None
    status: Status | None = None
    chain_url: str | None = Field(None, description="chuỗi chỉ đạo của văn bản (khi có)")
    cited_by_url: str | None = Field(None, description="danh sách văn bản trong kho trích dẫn văn bản này (khi có)")
    citing_count: int | None = Field(None, description="số văn bản trong kho trích dẫn văn bản này")


class PageBeyond(Open):
    """Trang đã hỏi vượt quá trang cuối."""
    asked: int
    last: int
    url: str


class YearsInverted(Open):
    """Khoảng năm ngược (từ năm sau đến năm): đường dẫn đến khoảng đảo lại."""
    year_from: int
    year_to: int
    url: str


class SearchFilters(Open):
    type: str | None = None
    province: str | None = None
    issuer: str | None = None
    year_from: int | None = None
    year_to: int | None = None


class SearchContext(Open):
    """Ngữ cảnh đã dùng để xếp hạng: tỉnh, ngành, ngày áp dụng, chỉ văn bản còn hiệu lực."""
    province: str | None = None
    sector: str | None = None
    sector_name: str | None = None
    as_of: str | None = Field(None, description="YYYY-MM-DD")
    as_of_chosen: bool | None = None
    in_force_only: bool | None = None
    favoured_sector: str | None = None
    origin: str | None = None
    notes: list[str] = []
    summary: str | None = None


class SearchResponse(Open):
    q: str
    filters: SearchFilters
    page: int
    status: EmbeddingStatus
    results: list[SearchResult]
    total: int
    total_exact: bool
    facets: list[FacetGroup]
    suggestions: list[LinkText]
    documents: list[DocumentCard]
    mode: str | None = Field(description="lexical · semantic · hybrid; null khi không có từ khóa")
    chips: list[LinkText]
    context: SearchContext
    api_url: str | None = None
    pages: int | None = None
    prev_url: str | None = None
    next_url: str | None = None
    unfiltered_url: str | None = None
    all_texts_url: str | None = None
    q_display: str | None = Field(None, description="từ khóa rút gọn để hiển thị (120 ký tự đầu và “…”)")
    group: str | None = Field(None, description="doc: kết quả gộp theo văn bản (tham số group=doc); null: từng đoạn")
    entries: int | None = Field(None, description="số kết quả để phân trang (group=doc: văn bản, các văn bản cùng nội dung gộp một)")
    passages_total: int | None = Field(None, description="số đoạn khớp")
    number_only: bool | None = Field(None, description="từ khóa chỉ là số hiệu văn bản: chỉ văn bản mang số đó và các đoạn trích dẫn nó")
    documents_more: int | None = Field(None, description="số văn bản cùng số hiệu ngoài các thẻ đã hiện")
    page_beyond: PageBeyond | None = None
    years_inverted: YearsInverted | None = None


# --- documents ---------------------------------------------------------------------------
class Section(Open):
    id: str
    kind: str | None = None
    label: str | None = None
    heading: str | None = None
    text: str | None = None
    level: int | None = None
    parent: str | None = None
    path: list[str] = []
    breadcrumb: list[str] = []


class Citation(Open):
    start: int | None = None
    end: int | None = None
    text: str | None = None
    doc_type: str | None = None
    number: str | None = None
    symbol: str | None = None
    canonical: str | None = None
    date: DateValue = None
    issuer: str | None = None
    pinpoint: str | None = None
    relation: str | None = None
    section_id: str | None = None
    target: str | None = None
    status: str | None = None
    note: str | None = None
    short_form: bool | None = None
    part: str | None = None
    footnote: int | None = None


class CorpusDocument(Open):
    """Một văn bản trong kho: toàn bộ mô hình JSON (docs/MODEL.md), với tình trạng hôm nay."""
    in_corpus: Literal[True]
    url: str
    id: str
    source_file: str | None = None
    doc_type: str | None = None
    type_code: str | None = None
    number: str | None = None
    symbol: str | None = None
    issuer: str | None = None
    issuer_code: str | None = None
    province: str | None = None
    place: str | None = None
    date: DateValue = None
    title: str | None = None
    signer: str | None = None
    signer_capacity: str | None = None
    recipients: list[str] = []
    codified: bool | None = None
    draft: bool | None = None
    provenance: dict[str, Any] = {}
    links: list[dict[str, Any]] = []
    sections: list[Section] = []
    footnotes: list[dict[str, Any]] = []
    tables: list[dict[str, Any]] = []
    citations: list[Citation] = []
    warnings: list[str] = []
    content_hash: str | None = None
    status: Status | None = None
    state: str
    status_label: str


class CitingItem(Open):
    relation: str | None = None
    text: str | None = None
    section_id: str | None = None
    section_label: str | None = None
    url: str | None = None
    excerpt: dict[str, str] | None = Field(None, description="before, hit, after: lời văn quanh trích dẫn")


class CitingDocument(Open):
    doc: DocInfo
    url: str | None = None
    items: list[CitingItem] = []


class CitedDocument(Open):
    """Một văn bản ngoài kho, chỉ được trích dẫn: điều danh mục và các đoạn trích dẫn nói về nó."""
    in_corpus: Literal[False]
    url: str
    id: str
    info: DocInfo
    entry: dict[str, Any] = {}
    node: dict[str, Any] = {}
    status: Status | None = None
    status_view: dict[str, Any] | None = None
    badge: Badge | None = None
    state: str
    status_label: str
    superseded_by: list[DocRef] = []
    full_form: str | None = Field(None, description="cách ghi đầy đủ chuẩn của trích dẫn")
    citing: list[CitingDocument] = []
    conflicts: list[dict[str, Any]] = []
    cites: list[RelationGroup] = []


DocumentResponse = Union[CorpusDocument, CitedDocument]


class CitationsResponse(Open):
    id: str
    cites: list[RelationGroup] = Field(description="văn bản này trích dẫn")
    cited_by: list[RelationGroup] = Field(description="các văn bản trích dẫn văn bản này")


class ChainEdge(Open):
    from_: str = Field(alias="from")
    to: str
    relation: str
    label: str | None = None
    from_label: str | None = None
    to_label: str | None = None


class ChainResponse(Open):
    id: str
    info: DocInfo
    layers: list[list[DocInfo]] = Field(description="các tầng của chuỗi chỉ đạo, từ trên xuống")
    edges: list[ChainEdge]


# --- citation check ----------------------------------------------------------------------
class LookupWarning(Open):
    kind: str = Field(description="ambiguous · unknown · superseded · date · issuer · not_full_form (lần đầu viện dẫn chưa ghi đầy đủ theo Nghị định 30/2020/NĐ-CP)")
    text: str = Field(description="cảnh báo bằng tiếng Việt")
    message: str | None = Field(None, description="như text (tên trường của `tdkt cite`)")
    by: str | None = None
    right: str | None = Field(None, description="giá trị đúng theo danh mục: ngày, cơ quan ban hành, văn bản thay thế hoặc trích dẫn chuẩn")


class LookupCitation(Open):
    span: list[int] = Field(description="[đầu, cuối]: vị trí trong văn bản gửi lên")
    text: str
    canonical: str | None = None
    type: str | None = None
    doc_type: str | None = None
    number: str | None = None
    year: int | None = None
    date: DateValue = None
    date_display: str | None = None
    issuer: str | None = None
    pinpoint: str | None = None
    relation: str | None = None
    resolved: str | None = Field(None, description="mã văn bản đã xác định, nếu có")
    status: str = Field(description="in_corpus · known · unknown · ambiguous · superseded")
    note: str | None = None
    full_form: str | None = None
    url: str | None = None
    in_corpus: bool = False
    warnings: list[LookupWarning] = []
    first_mention: bool = Field(True, description="lần đầu văn bản này được viện dẫn trong dự thảo (phải ghi đầy đủ)")
    checkable: bool = Field(True, description="false: văn bản làm việc của đơn vị (Tờ trình, Công văn…) không có trong danh mục, không kiểm tra được")
    check_note: str | None = None
    candidates: list[str] = Field([], description="văn bản có thể được trích dẫn (trích dẫn mơ hồ): không có trích dẫn chuẩn")


class LookupResponse(Open):
    citations: list[LookupCitation]
    warnings: int = Field(description="tổng số cảnh báo")
    truncated: bool = Field(description="văn bản hoặc số trích dẫn vượt giới hạn và đã bị cắt")
    province: str | None = Field(None, description="tỉnh/thành của người soạn đã dùng để chọn văn bản địa phương")


# --- glossary ----------------------------------------------------------------------------
class GlossaryEntry(Open):
    term: str
    slug: str
    category: str | None = None
    definition: str | None = None
    abbreviations: list[str] = []
    variants: list[str] = []
    links: list[LinkText] = []
    examples: list[str] = []
    mark_term: bool | None = None
    url: str


class GlossaryResponse(Open):
    q: str
    category: str | None = None
    total: int = Field(description="số thuật ngữ trong bảng")
    categories: list[str]
    entries: list[GlossaryEntry]


# --- status ------------------------------------------------------------------------------
class StatusResponse(Open):
    embedding: EmbeddingStatus
    counts: dict[str, int] = Field(description="documents, sections, passages, citations, sources, refused")
    built_at: str | None = None
    warnings: int


# --- admin -------------------------------------------------------------------------------
class RebuildResponse(Open):
    rebuilt: bool
    summary: str


ERRORS_400 = {400: {"model": ErrorBody, "description": "Yêu cầu không hợp lệ"}}
ERRORS_404 = {404: {"model": ErrorBody, "description": "Không có văn bản / thuật ngữ với mã này"}}
ERRORS_503 = {503: {"model": ErrorBody, "description": "Chưa mở được cơ sở dữ liệu"}}

# The pages answer errors as HTML pages (search_app/app.py, error.html).
_PAGE = {"text/html": {"schema": {"type": "string"}}}
PAGE_404 = {404: {"description": "Không có văn bản / thuật ngữ / trang này (trang báo lỗi)", "content": _PAGE}}
PAGE_503 = {503: {"description": "Chưa mở được cơ sở dữ liệu (trang báo lỗi)", "content": _PAGE}}
PAGE_301 = {301: {"description": "Văn bản có trong kho dưới mã khác: chuyển tới trang của nó"}}
PAGE_303 = {303: {"description": "Ngữ cảnh vừa gửi đã được ghi nhớ: chuyển tới địa chỉ tìm kiếm"}}


# --- the award file (/api/award) ------------------------------------------------------------
class AwardItem(Open):
    """Một quy định của hồ sơ khen thưởng, trích nguyên văn và trỏ tới điều, khoản của văn bản."""
    doc: str = Field(description="số, ký hiệu văn bản (06/2022/QH15)")
    article: str = Field(description="điều (Điều 74)")
    clause: str | None = Field(None, description="khoản (khoản 1), khi biết")
    text: str = Field(description="lời văn của quy định, trích nguyên văn")
    url: str | None = Field(None, description="trang văn bản, tới đúng điều, khoản")
    note: str | None = None
    valid_from: str | None = Field(None, description="ngày đầu áp dụng quy định (ISO)")
    valid_until: str | None = Field(None, description="ngày cuối áp dụng quy định (ISO)")


class AwardInfo(Open):
    name: str = Field(description="tên danh hiệu, hình thức khen thưởng theo Luật")
    asked: str = Field(description="tên như người dùng gõ")
    category: str
    level: str
    recipient: str = Field(description="individual · collective · household")
    recipient_label: str
    date: str
    province: str | None = None


class BasisCheck(Open):
    text: str
    cites: str = Field(description="mã văn bản trong danh mục")
    problems: list[dict[str, str]] = Field(description="kết quả kiểm tra trích dẫn (rỗng: đúng)")


class AwardResponse(Open):
    """Hồ sơ khen thưởng: tiêu chuẩn, thẩm quyền, hồ sơ, thời hạn, tỷ lệ, tiền thưởng, điều kiện và khối căn cứ."""
    award: AwardInfo
    criteria: list[AwardItem]
    authority: list[AwardItem]
    proposer: list[AwardItem]
    dossier: list[AwardItem]
    deadline: list[AwardItem]
    limits: list[AwardItem]
    money: list[AwardItem]
    prerequisites: list[AwardItem]
    basis: list[str] = Field(description="các dòng “Căn cứ …” của quyết định, văn bản còn hiệu lực vào ngày đã chọn")
    basis_check: list[BasisCheck]
    notices: list[str]


class CompareFlag(Open):
    kind: str = Field(description="changed · removed · superseded_ratio · conflict")
    award: str
    message: str = Field(description="khác biệt hoặc mâu thuẫn, bằng tiếng Việt")


class CompareRow(Open):
    award: str
    kind: str = Field(description="criteria · limits · money · dossier · deadline · authority")
    cells: dict[str, list[AwardItem]] = Field(description="ngày (ISO) → các quy định áp dụng ngày đó")
    sector: list[AwardItem] = Field(description="quy định của thông tư các ngành")


class CompareResponse(Open):
    """Tiêu chuẩn của một nhóm danh hiệu đặt cạnh nhau: các cấp, các thời điểm, thông tư các ngành."""
    family: str
    awards: list[str]
    days: list[str]
    rows: list[CompareRow]
    flags: list[CompareFlag]


def _whole(value: Any) -> Any:
    """A whole number as JSON writes it (2025 or 2025.0), not a string or a boolean."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (isinstance(value, float) and not value.is_integer()):
        raise ValueError("a whole number is expected")
    return int(value)


Whole = Annotated[int, BeforeValidator(_whole)]


class HistoryYear(BaseModel):
    model_config = ConfigDict(extra="forbid")
    year: Whole = Field(ge=1945, le=2100)
    rating: Literal["xuat_sac", "tot", "hoan_thanh", "khong"] | None = Field(
        None, description="hoàn thành xuất sắc nhiệm vụ · hoàn thành tốt · hoàn thành · không hoàn thành")
    titles: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, description="danh hiệu thi đua đạt trong năm (tên gõ tự do)")
    awards: list[Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=list, description="hình thức khen thưởng nhận trong năm")
    initiatives: Whole = Field(0, ge=0, le=1000, description="số sáng kiến được công nhận trong năm")


class History(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = ""
    kind: Literal["individual", "collective", "household"] = "individual"
    years: list[HistoryYear] = Field(description="một mục cho mỗi năm")


def _iso_text(value: Any) -> Any:
    """A date in JSON is a string (YYYY-MM-DD): a number is not taken for a day of 1970."""
    if value is not None and not isinstance(value, (str, _dt.date)):
        raise ValueError("a date is written YYYY-MM-DD")
    return value


class EligibleRequest(BaseModel):
    history: History = Field(description="quá trình: {name, kind, years: [{year, rating, titles, awards, initiatives}]}")
    date: Annotated[_dt.date | None, BeforeValidator(_iso_text)] = Field(None, description="ngày đề nghị (YYYY-MM-DD); mặc định hôm nay")
    province: str | None = Field(None, max_length=100)


class EligibleRow(Open):
    award: str
    met: bool
    missing: list[str] = Field(description="vì sao chưa đủ (rỗng: đủ)")
    doc: str
    article: str
    clause: str | None = None
    text: str


class EligibleResponse(Open):
    """Các danh hiệu, hình thức khen thưởng đã đủ và chưa đủ điều kiện theo quá trình."""
    name: str
    kind: str
    date: str
    qualifies: list[EligibleRow]
    misses: list[EligibleRow]
