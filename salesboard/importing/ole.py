"""Just enough of the OLE2 Compound File format (the container of .xls and of encrypted
.xlsx) to list its streams and read one, so a file can be checked before calamine sees it."""

from __future__ import annotations

import struct
from dataclasses import dataclass

_END = 0xFFFFFFFE  # sector numbers at or above this are markers (end of chain, free …)
_MAX_CHAIN = 1 << 24


@dataclass(frozen=True)
class Entry:
    name: str
    kind: int  # 1 storage, 2 stream, 5 root
    start: int
    size: int


class CompoundFile:
    """A parsed OLE2 directory over ``data``. Raises ValueError/struct.error if damaged."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.sector_size = 1 << struct.unpack_from("<H", data, 0x1E)[0]
        if self.sector_size not in (512, 4096):
            raise ValueError("bad sector size")
        (first_dir,) = struct.unpack_from("<I", data, 0x30)
        self.mini_cutoff, self.first_minifat = struct.unpack_from("<II", data, 0x38)
        difat_next, difat_count = struct.unpack_from("<II", data, 0x44)
        fat_sectors = [s for s in struct.unpack_from("<109I", data, 0x4C) if s < _END]
        per_sector = self.sector_size // 4
        for _ in range(min(difat_count, _MAX_CHAIN)):  # big files chain more FAT sectors
            entries = struct.unpack(f"<{per_sector}I", self._sector(difat_next))
            fat_sectors += [s for s in entries[:-1] if s < _END]
            difat_next = entries[-1]
        self.fat: list[int] = []
        for n in fat_sectors:
            self.fat.extend(struct.unpack(f"<{per_sector}I", self._sector(n)))
        directory = self._chain_bytes(first_dir)
        self.entries = []
        for offset in range(0, len(directory) - 127, 128):
            length, kind = struct.unpack_from("<HB", directory, offset + 0x40)
            if kind and 2 <= length <= 64:
                name = directory[offset : offset + length - 2].decode("utf-16-le", "replace")
                start, size = struct.unpack_from("<IQ", directory, offset + 0x74)
                self.entries.append(Entry(name, kind, start, size))

    def _sector(self, n: int) -> bytes:
        start = (n + 1) * self.sector_size
        if start + self.sector_size > len(self.data):
            raise ValueError("sector beyond the end of the file")
        return self.data[start : start + self.sector_size]

    def _chain(self, first: int, table: list[int]) -> list[int]:
        chain, current, seen = [], first, set()
        while current < _END:
            if current in seen or current >= len(table) or len(chain) > _MAX_CHAIN:
                raise ValueError("broken sector chain")
            seen.add(current)
            chain.append(current)
            current = table[current]
        return chain

    def _chain_bytes(self, first: int) -> bytes:
        return b"".join(self._sector(n) for n in self._chain(first, self.fat))

    def names(self) -> set[str]:
        """Names of all directory entries."""
        return {entry.name for entry in self.entries}

    def stream(self, name: str) -> bytes:
        """The bytes of the first stream called ``name``; KeyError if there is none."""
        entry = next(e for e in self.entries if e.kind == 2 and e.name == name)
        if entry.size >= self.mini_cutoff:
            return self._chain_bytes(entry.start)[: entry.size]
        root = next(e for e in self.entries if e.kind == 5)
        mini_stream = self._chain_bytes(root.start)
        minifat_bytes = self._chain_bytes(self.first_minifat)
        minifat = list(struct.unpack(f"<{len(minifat_bytes) // 4}I", minifat_bytes))
        chain = self._chain(entry.start, minifat)
        return b"".join(mini_stream[n * 64 : n * 64 + 64] for n in chain)[: entry.size]


# BIFF8 records that hold a cell: (row u16, column u16, …); MULRK/MULBLANK span columns.
_CELL_RECORDS = {0x0006, 0x00FD, 0x0203, 0x027E, 0x0204, 0x0201, 0x0205, 0x00D6}
_MULTI_CELL_RECORDS = {0x00BD, 0x00BE}
_BOF, _EOF, _DIMENSIONS = 0x0809, 0x000A, 0x0200


def xls_largest_sheet(workbook_stream: bytes) -> int:
    """The largest rows × columns box any sheet of a BIFF8 Workbook stream spans (what
    a reader allocates for it); ValueError for a DIMENSIONS record that cannot be true."""
    largest = 0
    box: list[int] | None = None  # min row, max row, min col, max col
    position, end = 0, len(workbook_stream) - 4
    while position <= end:
        kind, length = struct.unpack_from("<HH", workbook_stream, position)
        body = position + 4
        position = body + length
        if kind == _BOF:
            box = None
        elif kind == _DIMENSIONS and length >= 14:
            first_row, last_row, first_col, last_col = struct.unpack_from(
                "<IIHH", workbook_stream, body
            )
            if first_row > last_row or last_row > 65536 or first_col > last_col:
                raise ValueError("impossible DIMENSIONS record")
            largest = max(largest, (last_row - first_row) * (last_col - first_col))
        elif (kind in _CELL_RECORDS or kind in _MULTI_CELL_RECORDS) and length >= 4:
            row, col = struct.unpack_from("<HH", workbook_stream, body)
            last = col
            if kind in _MULTI_CELL_RECORDS and length >= 6:
                (last,) = struct.unpack_from("<H", workbook_stream, body + length - 2)
            box = (
                [row, row, col, max(col, last)]
                if box is None
                else [min(box[0], row), max(box[1], row), min(box[2], col),
                      max(box[3], col, last)]
            )  # fmt: skip
            largest = max(largest, (box[1] - box[0] + 1) * (box[3] - box[2] + 1))
        elif kind == _EOF:
            box = None
    return largest
