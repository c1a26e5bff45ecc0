"""The files of a proposal's dossier: their type is read from their content (filetype), never from
the name or the browser's word; only documents and scans are kept (no executable, script or web
page), each at most MAX_BYTES; stored under a random name in the build folder's data dir
(``<build>/data/attachments``), never run or served inline (routes send them as downloads)."""
from __future__ import annotations

import hashlib
import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

import filetype

from corpus.errors import UserError
from corpus.vntext import nfc

MAX_BYTES = 20 * 1024 * 1024          # a scanned báo cáo thành tích of 30 pages fits
# sniffed extension → (media type served, the extensions a file of that content may be named with)
ALLOWED = {
    "pdf": ("application/pdf", {"pdf"}),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", {"docx"}),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", {"xlsx"}),
    "doc": ("application/msword", {"doc"}),
    "xls": ("application/vnd.ms-excel", {"xls"}),
    "odt": ("application/vnd.oasis.opendocument.text", {"odt"}),
    "ods": ("application/vnd.oasis.opendocument.spreadsheet", {"ods"}),
    "jpg": ("image/jpeg", {"jpg", "jpeg"}),
    "png": ("image/png", {"png"}),
}
ALLOWED_LABEL = "PDF, Word (.docx, .doc), Excel (.xlsx, .xls), OpenDocument (.odt, .ods), ảnh JPEG hoặc PNG"
_UNSAFE_NAME = re.compile(r"[^\w.\- ()]+", re.UNICODE)


class BadAttachment(UserError):
    """A file refused: empty, too large, or not an allowed type (the message names it)."""


@dataclass(frozen=True)
class Checked:
    filename: str
    media_type: str
    size: int
    sha256: str


def safe_filename(name: str | None) -> str:
    """The officer's file name without folders or characters a download header could misread."""
    base = nfc(os.path.basename((name or "").replace("\\", "/"))).strip()
    base = _UNSAFE_NAME.sub("_", base)[:150].strip(" .")
    return base or "tep-dinh-kem"


def check(name: str | None, content: bytes) -> Checked:
    """The file if it may be attached; BadAttachment naming the file and the problem otherwise."""
    filename = safe_filename(name)
    if not content:
        raise BadAttachment(f"tệp “{filename}” rỗng")
    if len(content) > MAX_BYTES:
        raise BadAttachment(f"tệp “{filename}” quá lớn ({len(content) / 1024 / 1024:.1f} MB; "
                            f"tối đa {MAX_BYTES // (1024 * 1024)} MB)")
    kind = filetype.guess(content)
    if kind is None or kind.extension not in ALLOWED:
        what = f"nội dung là {kind.extension}" if kind else "không nhận ra loại nội dung"
        raise BadAttachment(f"tệp “{filename}” không được đính kèm ({what}): chỉ nhận {ALLOWED_LABEL}")
    media, names = ALLOWED[kind.extension]
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if ext not in names:
        raise BadAttachment(f"tệp “{filename}” có đuôi .{ext or '(không có)'} nhưng nội dung là "
                            f"{kind.extension}: đổi tên tệp cho đúng loại")
    return Checked(filename, media, len(content), hashlib.sha256(content).hexdigest())


def folder(build_dir: Path) -> Path:
    return Path(build_dir) / "data" / "attachments"


def store(build_dir: Path, content: bytes) -> str:
    """Write ``content`` under a new random name (written aside, then renamed: never half a file)."""
    target_dir = folder(build_dir)
    target_dir.mkdir(parents=True, exist_ok=True)
    stored = secrets.token_hex(16) + ".bin"
    tmp = target_dir / (stored + ".part")
    tmp.write_bytes(content)
    os.replace(tmp, target_dir / stored)
    return stored


def path_of(build_dir: Path, stored_name: str) -> Path:
    if not re.fullmatch(r"[0-9a-f]{32}\.bin", stored_name):
        raise BadAttachment("tệp đính kèm không hợp lệ")
    return folder(build_dir) / stored_name


def discard(build_dir: Path, stored_name: str) -> None:
    try:
        path_of(build_dir, stored_name).unlink()
    except (OSError, BadAttachment):
        pass
