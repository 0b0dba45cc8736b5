"""Hardened reading of XML documents and of zip archives of them.

Every document comes from outside and is hostile until read (docs/principles.md, principle 5):

- no DTD at all: a document with a DOCTYPE is refused before and after parsing, so no
  external entity (XXE: a file or URL pulled into the document) and no entity expansion
  ("billion laughs") can happen; lxml is also told not to resolve entities, not to load
  DTDs, not to touch the network and to keep its default limits on tree depth and text
  size (``huge_tree=False``);
- a size limit per document, whether it is a file or a zip member (the member is read
  with a bounded read: its declared size is not trusted);
- a zip-bomb guard: the number of members, the total uncompressed size (declared and
  actually read) and the compression ratio are bounded; archives inside archives are not
  opened. Nothing is ever extracted to disk, so member names are only labels.

A refusal names the file (``archive.zip:member.xml`` for a member), the XPath of the
element at fault (``/`` for the document as a whole) and the reason.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

from traza.core.rejection import Rejection

MAX_DOCUMENT_BYTES = 10 * 2**20  # a signed invoice is ~20 KB; thousands of lines stay well under
MAX_ZIP_MEMBERS = 1_000_000
MAX_ZIP_TOTAL_BYTES = 8 * 2**30  # uncompressed, all members together
MAX_ZIP_RATIO = 200  # uncompressed / compressed; XML compresses ~5-30x, zip bombs ~1000x
RATIO_FLOOR_BYTES = 2**20  # below this a high ratio cannot hurt (tiny repetitive documents)

_DOCTYPE = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(rb"<[A-Za-z_]")


def refusal(file: str, xpath: str, value: str | None, reason: str) -> Rejection:
    """A document (or archive) refused before its fields are validated: ``xpath`` says where
    in it (``/`` for the whole document)."""
    return Rejection(file, None, xpath, value, reason)


@dataclass(frozen=True)
class RawDocument:
    """The bytes of one document and the name a refusal will use for it."""

    file: str
    data: bytes


# libxml2 reports a namespace name that is not a valid URI as an error, although the XML
# and namespace specifications only say it should be one. Real SUNAT documents carry such
# declarations (``xmlns:schemaLocation="urn:... ..\\xsd\\..."``); they change nothing we read.
_BENIGN = frozenset({"WAR_NS_URI", "WAR_NS_URI_RELATIVE"})


@cache
def _parser(tolerant: bool = False) -> etree.XMLParser:
    # One parser per process: its settings are the hardening, and building it costs time.
    return etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False, dtd_validation=False,
        remove_comments=True, remove_pis=True, collect_ids=False, recover=tolerant,
    )


def parse_document(doc: RawDocument) -> etree._Element | Rejection:
    """The document's root element, or why it is refused."""
    data = doc.data
    if len(data) > MAX_DOCUMENT_BYTES:
        return refusal(doc.file, "/", None, f"document of {len(data):,} bytes is larger than the limit of "
                       f"{MAX_DOCUMENT_BYTES // 2**20} MiB")
    if not data.strip():
        return refusal(doc.file, "/", None, "empty file: expected a UBL Invoice or DespatchAdvice")
    # A DTD can only sit in the prolog, before the root element: look there first, so an
    # entity bomb is refused without the parser ever seeing it.
    root_at = _ROOT_START.search(data)
    prolog = data[: root_at.start() if root_at else len(data)]
    if b"\x00" in prolog[:4]:  # UTF-16 or UTF-32: look at the text without its zero bytes
        prolog = prolog.replace(b"\x00", b"")
    if _DOCTYPE.search(prolog):
        return _doctype_refusal(doc.file)
    # The log an exception carries accumulates across documents until cleared.
    etree.clear_error_log()
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        log: Any = exc.error_log  # lxml-stubs do not know it iterates
        if any(e.type_name not in _BENIGN for e in log):
            line, col = exc.position if exc.position else (0, 0)
            return refusal(doc.file, "/", None, f"not well-formed XML (line {line}, column {col}): {exc.msg}")
        # Only namespace-name warnings: the same hardened parser, told to carry on.
        root = etree.fromstring(data, _parser(tolerant=True))
    except ValueError as exc:  # lxml refuses some encoding declarations this way
        return refusal(doc.file, "/", None, f"not readable XML: {exc}")
    info: Any = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        return _doctype_refusal(doc.file)
    return root


def _doctype_refusal(file: str) -> Rejection:
    return refusal(file, "/", "<!DOCTYPE", "a document type declaration (DOCTYPE) is not allowed: UBL documents "
                   "need none, and it is how external-entity and entity-expansion attacks are carried")


def read_file(path: Path, name: str) -> RawDocument | Rejection:
    """A loose XML file, refused unread when it is larger than a document may be."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_DOCUMENT_BYTES + 1)  # never more than one byte past the limit
        if len(data) > MAX_DOCUMENT_BYTES:
            return refusal(name, "/", None, f"document larger than the limit of {MAX_DOCUMENT_BYTES // 2**20} MiB")
        return RawDocument(name, data)
    except OSError as exc:
        return refusal(name, "/", None, f"cannot read the file: {exc.strerror or exc}")


def read_zip(path: Path, name: str) -> Iterator[RawDocument | Rejection]:
    """The XML members of a zip archive, each as a document or a refusal; the whole archive
    is refused (one refusal naming the archive) when it looks like a zip bomb."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        yield refusal(name, "/", None, f"not a readable zip archive: {exc}")
        return
    with archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        declared = sum(i.file_size for i in infos)
        packed = sum(i.compress_size for i in infos)
        if len(infos) > MAX_ZIP_MEMBERS:
            yield refusal(name, "/", str(len(infos)), f"archive holds {len(infos):,} members, more than the limit "
                          f"of {MAX_ZIP_MEMBERS:,}: split it")
            return
        if declared > MAX_ZIP_TOTAL_BYTES or (declared > RATIO_FLOOR_BYTES and declared > MAX_ZIP_RATIO * max(packed, 1)):
            yield refusal(name, "/", f"{packed:,} -> {declared:,} bytes", "refused as a possible zip bomb: it would "
                          f"expand {declared / max(packed, 1):,.0f} times to {declared:,} bytes (limits: "
                          f"{MAX_ZIP_RATIO}x, {MAX_ZIP_TOTAL_BYTES // 2**30} GiB)")
            return
        read = 0
        for info in infos:
            member = f"{name}:{info.filename}"
            base = info.filename.rsplit("/", 1)[-1]
            if base.startswith(".") or info.filename.startswith("__MACOSX/"):
                continue  # operating-system litter, not a document
            if not base.lower().endswith(".xml"):
                yield refusal(member, "/", None, "not an XML document: a zip may hold only UBL .xml documents"
                              + (" (archives inside archives are not opened)" if base.lower().endswith(".zip") else ""))
                continue
            if info.file_size > MAX_DOCUMENT_BYTES:
                yield refusal(member, "/", None, f"document of {info.file_size:,} bytes is larger than the limit "
                              f"of {MAX_DOCUMENT_BYTES // 2**20} MiB")
                continue
            if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1):
                yield refusal(member, "/", None, f"refused as a possible zip bomb: compressed {info.compress_size:,} "
                              f"bytes expand to {info.file_size:,}")
                continue
            try:
                with archive.open(info) as fh:
                    data = fh.read(MAX_DOCUMENT_BYTES + 1)  # the header's size is not trusted
            except (zipfile.BadZipFile, RuntimeError, OSError, EOFError, NotImplementedError) as exc:
                yield refusal(member, "/", None, f"cannot read this member: {exc}")
                continue
            read += len(data)
            if len(data) > MAX_DOCUMENT_BYTES:
                yield refusal(member, "/", None, f"document larger than the limit of {MAX_DOCUMENT_BYTES // 2**20} MiB "
                              "(its zip header understated its size)")
                continue
            if read > MAX_ZIP_TOTAL_BYTES:
                yield refusal(name, "/", None, f"archive expands beyond {MAX_ZIP_TOTAL_BYTES // 2**30} GiB: the "
                              "remaining members are not read")
                return
            yield RawDocument(member, data)
