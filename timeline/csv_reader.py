"""Read a CSV file without trusting anything about it.

Every size is checked on the raw bytes before any cell is built, so a hostile file costs
milliseconds, not minutes: a 689 KB file of 100,000 columns once took 268 s of a core and
947 MB in a header check that compared every name with every other. Each step is linear in the
file, and a parse that still runs long stops after a time budget with a message.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

MAX_FIELD = 100_000  # characters in one cell
MAX_COLUMNS = 500  # our template has 18, TimelineJS's 18: room for a user's own extra columns
MAX_HEADER_BYTES = 64 * 1024
MAX_ROWS = 2_000_000  # lines; the benchmarks read a million events
MAX_CELLS = 40_000_000  # rows x columns
TIME_BUDGET = 30.0  # seconds of reading before we give up on a file
DELIMITERS = (",", ";", "\t")
_CHECK_EVERY = 1_000  # rows between looks at the clock


@dataclass(frozen=True)
class Problem:
    file: str
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {_shown(self.column)}: {self.message}"


def _shown(column: str) -> str:
    """A column name as the message shows it: quoted (quotes doubled) when it is blank or holds
    a colon or a quote, so the "file:line: column: message" form stays readable."""
    if column and column == column.strip() and not any(c in column for c in ':"'):
        return column
    return '"' + column.replace('"', '""') + '"'


@dataclass
class RawTable:
    frame: pd.DataFrame  # all cells as strings, NA for blank; index = record number
    lines: pd.Series  # record number -> line in the file where the record starts
    problems: list[Problem]
    delimiter: str = ","


def _refused(*problems: Problem) -> RawTable:
    return RawTable(pd.DataFrame(), pd.Series(dtype="int64"), list(problems))


class _OutOfTime(Exception):
    pass


def read_csv_bytes(data: bytes, name: str, budget: float = TIME_BUDGET) -> RawTable:
    """Decode and split a CSV file (`,`, `;` or tab separated) into string cells."""
    if not data[:4096].strip() and not data.strip():
        return _refused(Problem(name, 1, "-", "the file is empty"))
    decoded = _decode(data, name)
    if isinstance(decoded, Problem):
        return _refused(decoded)
    data = decoded
    delimiter = sniff_delimiter(data)
    too_big = _check_size(data, name, delimiter)
    if too_big is not None:
        return _refused(too_big)
    fast = _fast_read(data, delimiter)
    if fast is not None:
        return fast
    too_wide = _widest_line(data, name, delimiter)
    if too_wide is not None:
        return _refused(too_wide)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data[: err.start].count(b"\n") + 1
        return _refused(
            Problem(
                name,
                line,
                "-",
                f"the file is not UTF-8 text (byte 0x{data[err.start]:02x}); "
                "save it again as 'CSV UTF-8'",
            )
        )
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return _refused(Problem(name, line, "-", "the file has a NUL character"))
    try:
        return _careful_read(text, name, delimiter, time.monotonic() + budget)
    except _OutOfTime as stop:
        return _refused(
            Problem(
                name,
                int(str(stop)),
                "-",
                f"reading stopped after {budget:g} s at this line: the file is too large to "
                "read here; split it into smaller files",
            )
        )


def _decode(data: bytes, name: str) -> bytes | Problem:
    """UTF-8 bytes without a byte order mark; UTF-16 (with or without its mark) re-encoded."""
    bom = data[:2] in (b"\xff\xfe", b"\xfe\xff")
    codec = "utf-16" if bom else _utf16_without_bom(data[:8192])
    if codec is not None:
        try:
            return data.decode(codec).lstrip("\ufeff").encode("utf-8")
        except UnicodeDecodeError:
            return Problem(
                name, 1, "-", "the file looks like UTF-16 but is not; save it as 'CSV UTF-8'"
            )
    if b"\x00" in data[:8192]:
        return Problem(name, 1, "-", "this is not a text file (it looks binary); save it as CSV")
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _utf16_without_bom(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when most of every other byte is NUL and none of the rest, as
    in UTF-16 text of Latin, Cyrillic or Armenian letters (a binary file has NULs anywhere)."""
    if len(sample) < 4:
        return None
    sample = sample[: len(sample) // 2 * 2]
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.5 * len(odd) and even.count(0) == 0:
        return "utf-16-le"
    if even.count(0) >= 0.5 * len(even) and odd.count(0) == 0:
        return "utf-16-be"
    return None


def _first_line(data: bytes) -> bytes:
    end = data.find(b"\n", 0, MAX_HEADER_BYTES + 1)
    return data[: end if end >= 0 else MAX_HEADER_BYTES + 1]


def sniff_delimiter(data: bytes) -> str:
    """`,`, `;` or tab, read from the header (Excel writes `;` where the decimal mark is `,`).

    A header holding one of them only is plain; otherwise the standard library's sniffer looks
    at the first lines, limited to the three, and the most frequent in the header breaks a tie.
    """
    header = _first_line(data).decode("utf-8", errors="replace")
    counts = {d: header.count(d) for d in DELIMITERS}
    present = [d for d in DELIMITERS if counts[d]]
    if len(present) <= 1:
        return present[0] if present else ","
    sample = b"\n".join(data[:16384].split(b"\n")[:20]).decode("utf-8", errors="replace")
    try:
        found = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        found = ""
    return found if found in present else max(present, key=lambda d: counts[d])


def _fields_outside_quotes(line: bytes, delimiter: str) -> int:
    """Fields in one line, not counting delimiters inside quotes ("" inside quotes is a quote,
    which flips the parity twice, so pairs cancel)."""
    arr = np.frombuffer(line, dtype=np.uint8)
    inside = np.bitwise_xor.accumulate((arr == ord('"')).view(np.uint8)).astype(bool)
    return int(np.count_nonzero((arr == ord(delimiter)) & ~inside)) + 1


def _check_size(data: bytes, name: str, delimiter: str) -> Problem | None:
    """The first bound passed, named, before any cell is built; None when all hold."""
    header = _first_line(data)
    cut = len(header) > MAX_HEADER_BYTES
    width = _fields_outside_quotes(header[:MAX_HEADER_BYTES], delimiter)
    if width > MAX_COLUMNS:
        if cut:  # the whole first line, counted as bytes (no cell is built)
            end = data.find(b"\n")
            width = data.count(delimiter.encode(), 0, end if end >= 0 else len(data)) + 1
        return Problem(
            name,
            1,
            "-",
            f"the header has {width:,} columns; at most {MAX_COLUMNS:,} can be read",
        )
    if cut:
        return Problem(
            name,
            1,
            "-",
            f"the header line is longer than {MAX_HEADER_BYTES // 1024} KB; is this a CSV "
            "file with one row per event?",
        )
    lines = data.count(b"\n") + (not data.endswith(b"\n"))
    if lines > MAX_ROWS + 1:
        return Problem(
            name, 1, "-", f"the file has {lines:,} lines; at most {MAX_ROWS:,} rows can be read"
        )
    if lines * width > MAX_CELLS:
        return Problem(
            name,
            1,
            "-",
            f"the file has {lines:,} rows of {width} columns; at most {MAX_CELLS:,} cells can "
            "be read (split it, or keep the columns you need)",
        )
    return None


def _widest_line(data: bytes, name: str, delimiter: str) -> Problem | None:
    """A row with far more fields than a header may have is refused before the CSV reader
    would build a string for each. Counted per physical line with numpy (delimiters inside
    quotes are discounted only on lines over the limit)."""
    arr = np.frombuffer(data, dtype=np.uint8)
    newlines = np.flatnonzero(arr == 10)
    starts = np.concatenate(([0], newlines + 1))
    starts = starts[starts < len(arr)]
    per_line = np.add.reduceat((arr == ord(delimiter)).view(np.uint8), starts, dtype=np.int64)
    for index in np.flatnonzero(per_line >= MAX_COLUMNS):
        stop = newlines[index] if index < len(newlines) else len(arr)
        fields = _fields_outside_quotes(data[starts[index] : stop], delimiter)
        if fields > MAX_COLUMNS:
            return Problem(
                name,
                int(index) + 1,
                "-",
                f"this row has {fields:,} fields; at most {MAX_COLUMNS:,} columns can be read",
            )
    return None


def _careful_read(text: str, name: str, delimiter: str, deadline: float) -> RawTable:
    problems: list[Problem] = []
    rows: list[list[str]] = []
    lines: list[int] = []
    csv.field_size_limit(MAX_FIELD)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    last = 0
    for count in itertools.count():
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as err:
            message = f"unreadable CSV: {err}"
            if "field larger than field limit" in str(err):
                message = f"a cell is longer than {MAX_FIELD:,} characters (the limit)"
            return _refused(Problem(name, last + 1, "-", message))
        start, last = last + 1, reader.line_num
        if count % _CHECK_EVERY == 0 and time.monotonic() > deadline:
            raise _OutOfTime(start)
        if not any(cell.strip() for cell in row):
            continue
        rows.append(row)
        lines.append(start)
    if rows and _ends_inside_quotes(text, delimiter):
        # the lenient reader returns the rest of the file as one last cell: say so, drop it
        cells = rows.pop()
        line = lines.pop()
        header_cells = rows[0] if rows else []
        column = header_cells[len(cells) - 1].strip() if len(cells) <= len(header_cells) else "-"
        problems.append(
            Problem(
                name,
                line,
                column or "-",
                'a quote (") opens this cell and is never closed, so the rest of the file '
                'would be one cell; close the quote, or double it ("") if it belongs in the '
                "text",
            )
        )
    if not rows:
        return _refused(*(problems or [Problem(name, 1, "-", "the file is empty")]))

    header, keep, names, twice = _header(rows[0])
    if twice:
        return _refused(
            *problems,
            *(Problem(name, lines[0], n, "this column name appears twice") for n in twice),
        )

    width = len(header)
    records: list[list[str]] = []
    record_lines: list[int] = []
    for row, line in zip(rows[1:], lines[1:], strict=True):
        extra = [c for c in row[width:] if c.strip()]
        if extra:
            problems.append(
                Problem(
                    name,
                    line,
                    "-",
                    f"this row has {len(row)} fields but the header has {width}; "
                    f"a {_NAMES[delimiter]} inside a field needs quotes",
                )
            )
            continue
        row = row[:width] + [""] * (width - len(row))
        records.append([row[i] for i in keep])
        record_lines.append(line)
    frame = _tidy(pd.DataFrame(records, columns=names, dtype="str"))
    return RawTable(
        frame, pd.Series(record_lines, index=frame.index, dtype="int64"), problems, delimiter
    )


_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}


def _ends_inside_quotes(text: str, delimiter: str) -> bool:
    """True when the file ends inside a quoted cell. Quotes inside a quoted cell come in
    pairs, so this needs an odd number of quote characters; only then is the file read
    again, strictly, to tell it from a stray quote in an unquoted cell (which is kept)."""
    if text.count('"') % 2 == 0:
        return False
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            pass
    except csv.Error as err:
        return "unexpected end of data" in str(err)
    return False


def _header(cells: list[str]) -> tuple[list[str], list[int], list[str], list[str]]:
    """Header cells stripped; trailing blank and 'Unnamed' columns dropped (spreadsheet exports);
    the names that appear more than once (counted once each, linear in the header)."""
    header = [h.strip() for h in cells]
    while header and (not header[-1] or header[-1].startswith("Unnamed")):
        header.pop()
    keep = [i for i, h in enumerate(header) if h and not h.startswith("Unnamed")]
    names = [header[i] for i in keep]
    twice = sorted(n for n, count in Counter(names).items() if count > 1)
    return header, keep, names, twice


def _tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Whitespace-only cells are empty; empty cells are missing."""
    out = {}
    for name, col in frame.items():
        col = col.str.strip()
        out[name] = col.where(col != "")
    return pd.DataFrame(out, index=frame.index)


@functools.cache
def _maybe_space_end() -> Any:
    """Bytes that can end (or start) a cell with whitespace: ASCII spaces and controls, and
    any byte of a non-ASCII character."""
    import pyarrow as pa_

    ends = [bytes([b]) for b in (*range(0x09, 0x0E), *range(0x1C, 0x21), *range(0x80, 0x100))]
    return pa_.array(ends, pa_.binary())


def _tidy_arrow(column: Any) -> Any:
    """`_tidy` on an Arrow column: the same Unicode trim (pandas' own `str.strip` on Arrow
    strings calls it), without a round trip through pandas."""
    import pyarrow as pa_
    import pyarrow.compute as pc

    # Trimming copies the column, which for long text (hundreds of MB) costs more than first
    # asking whether any cell may need it: its first or last byte is an ASCII space or part of
    # a non-ASCII character (which might be a space).
    trim = True
    if len(column) and column.nbytes > 64 * len(column):
        data = column.cast(pa_.binary())
        edges = pc.or_(
            pc.is_in(pc.binary_slice(data, 0, 1), value_set=_maybe_space_end()),
            pc.is_in(pc.binary_slice(data, -1), value_set=_maybe_space_end()),
        )
        trim = pc.any(edges).as_py()
    trimmed = pc.utf8_trim_whitespace(column) if trim else column
    blank = pc.equal(trimmed, "")
    if not pc.any(blank).as_py():
        return trimmed
    return pc.if_else(blank, pa_.scalar(None, pa_.string()), trimmed)


def _fast_read(data: bytes, delimiter: str = ",") -> RawTable | None:
    """Read a large well-formed file with Arrow's CSV reader; None sends it down the careful path.

    Taken only when every record is one physical line (so line = record + 2), the rows have
    the header's width, the bytes are UTF-8 (Arrow checks) and hold no NUL; anything else
    (quoted newlines, ragged rows, blank lines, oversized fields, a bad byte) is read by the
    csv module, which can say where the trouble is.
    """
    if len(data) < 1_000_000 or b"\x00" in data:
        return None
    try:
        first = _first_line(data).decode("utf-8").rstrip("\r")
    except UnicodeDecodeError:
        return None
    if '"' in first:
        return None
    cells = first.split(delimiter)
    header, keep, names, twice = _header(cells)
    if twice or not names:
        return None
    physical = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    try:
        import pyarrow as pa_
        import pyarrow.compute as pc
        import pyarrow.csv as pacsv

        columns = [f"c{i}" for i in range(len(cells))]
        table = pacsv.read_csv(
            io.BytesIO(data),
            read_options=pacsv.ReadOptions(column_names=columns, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=False, ignore_empty_lines=False
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa_.string() for c in columns},
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except Exception:  # noqa: BLE001 - any trouble: the careful reader will name it
        return None
    if table.num_rows + 1 != physical:
        return None
    # bytes >= characters: a column within the limit in bytes is within it in characters
    longest = [pc.max(pc.binary_length(table[c])).as_py() or 0 for c in columns]
    if max(longest, default=0) > MAX_FIELD:
        return None
    table = table.select([columns[i] for i in keep]).rename_columns(names)
    table = pa_.table([_tidy_arrow(table[c]) for c in names], names=names)
    filled = pc.is_valid(table[names[0]])
    for c in names[1:]:
        filled = pc.or_(filled, pc.is_valid(table[c]))
    if not pc.all(filled).as_py():
        return None  # a row of blank cells: the careful reader skips it and keeps line numbers
    frame = table.to_pandas()
    return RawTable(
        frame, pd.Series(frame.index + 2, index=frame.index, dtype="int64"), [], delimiter
    )
