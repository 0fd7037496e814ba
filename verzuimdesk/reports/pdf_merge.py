"""Appends PDFs made by ReportLab to one output file, object by object, without keeping them in memory.

A batch of 1,000 overviews as one PDF: each overview is rendered on its own (so each keeps its own
"pagina 1 van 2"), and :class:`StreamingPdfWriter` copies its objects to the output file straight away,
renumbered; only the byte offsets and the page numbers stay in memory. Made for ReportLab's output
(classic cross-reference table, no object streams), which is all verzuimdesk writes.
"""

from __future__ import annotations

import re
from typing import BinaryIO

_OBJ = re.compile(rb"(\d+) 0 obj")
_REF = re.compile(rb"(\d+) 0 R")
_STREAM = re.compile(rb"stream\r?\n")
_LENGTH = re.compile(rb"/Length (\d+)")


def _objects(pdf: bytes) -> tuple[dict[int, bytes], int | None]:
    """Object number → its text between "obj" and "endobj"; and the /Info object number."""
    start = pdf.rindex(b"startxref")
    xref_at = int(pdf[start + 9:].split()[0])
    lines = pdf[xref_at:].split(b"trailer")[0].split(b"\n")[1:]
    objects: dict[int, bytes] = {}
    number = 0
    offsets: list[tuple[int, int]] = []
    for line in lines:
        parts = line.split()
        if len(parts) == 2:
            number = int(parts[0])
        elif len(parts) == 3 and parts[2] == b"n":
            offsets.append((number, int(parts[0])))
            number += 1
        elif len(parts) == 3:
            number += 1
    for num, off in offsets:
        m = _OBJ.match(pdf, off)
        if m is None or int(m.group(1)) != num:
            raise ValueError("onverwachte PDF-opbouw")
        end = pdf.index(b"endobj", m.end())
        stream = _STREAM.search(pdf, m.end(), end)
        if stream is not None:  # skip the stream data by its /Length (it may hold any bytes)
            length = _LENGTH.search(pdf, m.end(), stream.start())
            assert length is not None
            end = pdf.index(b"endobj", stream.end() + int(length.group(1)))
        objects[num] = pdf[m.end():end]
    trailer = pdf[pdf.rindex(b"trailer"):start]
    info = re.search(rb"/Info (\d+) 0 R", trailer)
    return objects, int(info.group(1)) if info else None


class StreamingPdfWriter:
    """Write with :meth:`append` (PDF bytes), finish with :meth:`close`; object 1 is the page tree, 2 the catalog."""

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        self.offsets: dict[int, int] = {}
        self.pages: list[int] = []
        self.next = 3
        self._pos = 0
        self._write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")

    def _write(self, data: bytes) -> None:
        self.fh.write(data)
        self._pos += len(data)

    def append(self, pdf: bytes) -> None:
        objects, info = _objects(pdf)
        skip = {info} if info is not None else set()
        kids: list[int] = []
        for num, body in objects.items():
            head = body[:400]
            if b"/Type /Catalog" in head or b"/Type /Outlines" in head:
                skip.add(num)
            elif b"/Type /Pages" in head:
                skip.add(num)
                kids_text = re.search(rb"/Kids \[([^\]]*)\]", body)
                kids = [int(k) for k in _REF.findall(kids_text.group(1))] if kids_text else []
        mapping = {}
        for num in objects:
            if num not in skip:
                mapping[num] = self.next
                self.next += 1
        for num, body in objects.items():
            if num in skip:
                continue
            s = _STREAM.search(body)
            head, tail = (body[:s.start()], body[s.start():]) if s else (body, b"")
            head = re.sub(rb"/Parent \d+ 0 R", b"/Parent 1 0 R", head)
            head = _REF.sub(lambda m: b"%d 0 R" % mapping.get(int(m.group(1)), 0), head)
            self.offsets[mapping[num]] = self._pos
            self._write(b"%d 0 obj" % mapping[num] + head + tail + b"endobj\n")
        self.pages += [mapping[k] for k in kids if k in mapping]

    def close(self) -> None:
        kids = b" ".join(b"%d 0 R" % p for p in self.pages)
        self.offsets[1] = self._pos
        self._write(b"1 0 obj\n<< /Type /Pages /Count %d /Kids [ %s ] >>\nendobj\n" % (len(self.pages), kids))
        self.offsets[2] = self._pos
        self._write(b"2 0 obj\n<< /Type /Catalog /Pages 1 0 R >>\nendobj\n")
        xref = self._pos
        size = self.next
        lines = [b"xref\n0 %d\n" % size, b"0000000000 65535 f \n"]
        for n in range(1, size):
            off = self.offsets.get(n)
            lines.append(b"%010d 00000 n \n" % off if off is not None else b"0000000000 00000 f \n")
        self._write(b"".join(lines))
        self._write(b"trailer\n<< /Root 2 0 R /Size %d >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref))
        self.fh.flush()
