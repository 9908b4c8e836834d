"""Byte scans of a text file: its lines, lone carriage returns and blank lines.

The file is read a buffer at a time, reusing one buffer, and searched with NumPy and
``bytes.find`` / compiled byte regexes: no line is decoded or copied into a Python string.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

#: bytes read at a time when scanning a file's lines
SCAN_CHUNK = 64 << 20
#: bytes read at a time when counting a file's lines (in the processor's cache)
COUNT_CHUNK = 1 << 20
_BLANK_LINE = re.compile(rb"\n[ \t]*\r?\n")
_DATA = re.compile(rb"[^ \r\n]")  # not blank (a tab may be a separator)
_LONE_CR = re.compile(rb"\r[^\n]")


def count_lines(path: Path) -> tuple[int | np.integer, bool]:
    """The file's lines (line feeds, plus one for a last line without a line feed), and
    whether a carriage return not followed by a line feed ends a line (a lone carriage
    return; a carriage return as the file's last byte is not one).

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".csv") as f:
    ...     _ = f.write(b"a,b\\r\\n1,2\\r3,4"); f.flush()
    ...     lines, lone_cr = count_lines(Path(f.name))
    >>> int(lines), lone_cr
    (2, True)
    """
    buf = bytearray(COUNT_CHUNK)
    view, codes, feeds = memoryview(buf), np.frombuffer(buf, np.uint8), np.empty(len(buf), bool)
    lines: int | np.integer  # np.count_nonzero gives a NumPy integer
    lines, lone_cr, after_cr, last = 0, False, False, ord("\n")
    with path.open("rb") as fh:
        while n := fh.readinto(view):
            lines += np.count_nonzero(np.equal(codes[:n], ord("\n"), out=feeds[:n]))
            if not lone_cr:
                lone_cr = after_cr and buf[0] != ord("\n")
                if not lone_cr and (cr := buf.find(b"\r", 0, n)) >= 0:  # find is fast
                    lone_cr = bool(_LONE_CR.search(buf, cr, n))
                after_cr = buf[n - 1] == ord("\r")
            last = buf[n - 1]
    return lines + (last != ord("\n")), lone_cr


def blank_line_before_data(path: Path, lone_cr: bool) -> bool:
    """Whether a blank line (empty, or of spaces and tabs) comes before some data (a byte
    other than a space, carriage return or line feed). Blank lines at the end come before
    no data; with ``lone_cr`` (see :func:`count_lines`) any blank line counts.

    Reads :data:`SCAN_CHUNK` bytes at a time, keeping for the next chunk the end of a line
    that may turn out blank, or a carriage return whose line feed may follow.

    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile(suffix=".csv") as f:
    ...     _ = f.write(b"a,b\\n\\n1,2\\n\\n"); f.flush()
    ...     blank_line_before_data(Path(f.name), False)
    True
    """
    buf, kept = bytearray(1 + SCAN_CHUNK), 1
    buf[0] = ord("\n")  # as if a line ended just before the file
    blank = data_after = False
    with path.open("rb") as fh:
        while not data_after and (n := fh.readinto(memoryview(buf)[kept:])):
            end = kept + n
            if blank:
                data_after = bool(_DATA.search(buf, 0, end))
            elif match := _BLANK_LINE.search(buf, 0, end):
                blank, data_after = True, bool(_DATA.search(buf, match.end(), end))
            last = buf.rfind(b"\n", 0, end)
            if last < 0 or buf[last + 1:end].strip(b" \t\r"):  # no blank line under way
                last = end - 1 if buf.endswith(b"\r", 0, end) else end
            kept = end - last
            buf[:kept] = buf[last:end]
            if kept == len(buf):  # a line of spaces as long as the buffer: make room
                buf.extend(bytes(SCAN_CHUNK))
    return blank and (data_after or lone_cr)
