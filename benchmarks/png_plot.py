"""A log-log line chart written as PNG with the standard library only.

The benchmarks draw their plots with matplotlib when it is installed; the project venv
does not have it, so this is the fallback: lines, markers, a decade grid, tick labels and
a legend, drawn into an RGB pixel buffer (a 3x5 pixel font scaled 2x) and written with
``zlib``. It is a plotting aid for benchmark results, not a general library.

Examples
--------
>>> import tempfile, pathlib
>>> out = pathlib.Path(tempfile.mkdtemp()) / "p.png"
>>> loglog_png({"get": [1.0, 1.2], "scan": [10.0, 900.0]}, [10_000, 1_000_000], out, "demo").read_bytes()[:4]
b'\\x89PNG'
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

# 3x5 glyphs, rows top to bottom, "#" = ink (letters are drawn as capitals)
_GLYPHS = {
    "0": "####.##.##.####",
    "1": ".#.##..#..#.###",
    "2": "###..#####..###",
    "3": "###..####..####",
    "4": "#.##.####..#..#",
    "5": "####..###..####",
    "6": "####..####.####",
    "7": "###..#..#..#..#",
    "8": "####.#####.####",
    "9": "####.####..####",
    "a": ".#.#.####.##.##",
    "b": "##.#.###.#.###.",
    "c": ".###..#..#...##",
    "d": "##.#.##.##.###.",
    "e": "####..##.#..###",
    "f": "####..##.#..#..",
    "g": ".###..#.##.#.##",
    "h": "#.##.####.##.##",
    "i": "###.#..#..#.###",
    "j": "..#..#..##.#.#.",
    "k": "#.##.###.#.##.#",
    "l": "#..#..#..#..###",
    "m": "#.########.##.#",
    "n": "##.#.##.##.##.#",
    "o": ".#.#.##.##.#.#.",
    "p": "##.#.###.#..#..",
    "q": ".#.#.##.##.#.##",
    "r": "##.#.###.#.##.#",
    "s": ".###...#...###.",
    "t": "###.#..#..#..#.",
    "u": "#.##.##.##.####",
    "v": "#.##.##.##.#.#.",
    "w": "#.##.########.#",
    "x": "#.##.#.#.#.##.#",
    "y": "#.##.#.#..#..#.",
    "z": "###..#.#.#..###",
    "_": "............###",
    ".": "............#..",
    "-": "......###......",
    "(": ".#.#..#..#...#.",
    ")": ".#...#..#..#.#.",
    "/": "..#..#.#..#.#..",
    ":": "....#.....#....",
    " ": "." * 15,
}
_PALETTE = [
    (31, 119, 180),
    (255, 127, 14),
    (44, 160, 44),
    (214, 39, 40),
    (148, 103, 189),
    (140, 86, 75),
    (227, 119, 194),
    (127, 127, 127),
    (188, 189, 34),
    (23, 190, 207),
    (0, 0, 0),
    (90, 90, 200),
]
_SCALE = 2  # font pixels per glyph pixel


class _Canvas:
    def __init__(self, width: int, height: int):
        self.w, self.h = width, height
        self.px = bytearray(b"\xff" * (width * height * 3))

    def dot(self, x: int, y: int, color: tuple[int, int, int], size: int = 1) -> None:
        for dx in range(size):
            for dy in range(size):
                xx, yy = x + dx, y + dy
                if 0 <= xx < self.w and 0 <= yy < self.h:
                    k = (yy * self.w + xx) * 3
                    self.px[k : k + 3] = bytes(color)

    def line(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        color: tuple[int, int, int],
        width: int = 2,
    ) -> None:
        steps = int(max(abs(x1 - x0), abs(y1 - y0))) + 1
        for s in range(steps + 1):
            t = s / steps
            self.dot(round(x0 + (x1 - x0) * t), round(y0 + (y1 - y0) * t), color, width)

    def text(self, x: int, y: int, text: str, color: tuple[int, int, int] = (0, 0, 0)) -> None:
        for n, ch in enumerate(text.lower()):
            glyph = _GLYPHS.get(ch, _GLYPHS[" "])
            for k, mark in enumerate(glyph):
                if mark == "#":
                    self.dot(
                        x + n * 4 * _SCALE + (k % 3) * _SCALE, y + (k // 3) * _SCALE, color, _SCALE
                    )

    def png(self) -> bytes:
        raw = b"".join(
            b"\x00" + bytes(self.px[r * self.w * 3 : (r + 1) * self.w * 3]) for r in range(self.h)
        )

        def chunk(kind: bytes, data: bytes) -> bytes:
            return (
                struct.pack(">I", len(data))
                + kind
                + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
            )

        header = struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0)
        return (
            b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(raw, 6))
            + chunk(b"IEND", b"")
        )


def _label(value: float) -> str:
    if value >= 1_000_000:
        return f"{value / 1_000_000:g}m"
    if value >= 10_000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def loglog_png(
    series: dict[str, list[float]],
    xs: list[float],
    path: Path,
    title: str = "",
    x_label: str = "artifacts",
    y_label: str = "p50 ms",
) -> Path:
    """Draw ``series`` (name → y per x) on log-log axes into the PNG ``path``; returns it.

    Examples
    --------
    >>> loglog_png({"a": [1, 2]}, [10, 100], Path("/tmp/x.png")).suffix  # doctest: +SKIP
    '.png'
    """
    width, height, left, right, top, bottom = 900, 560, 70, 230, 40, 50
    canvas = _Canvas(width, height)
    ys = [v for values in series.values() for v in values if v and v > 0] or [1.0]
    x_lo, x_hi = math.floor(math.log10(min(xs))), math.ceil(math.log10(max(xs)))
    y_lo, y_hi = math.floor(math.log10(min(ys))), math.ceil(math.log10(max(ys)))
    x_hi, y_hi = max(x_hi, x_lo + 1), max(y_hi, y_lo + 1)

    def px(x: float) -> float:
        return left + (math.log10(x) - x_lo) / (x_hi - x_lo) * (width - left - right)

    def py(y: float) -> float:
        return height - bottom - (math.log10(y) - y_lo) / (y_hi - y_lo) * (height - top - bottom)

    grey, black = (215, 215, 215), (0, 0, 0)
    for d in range(x_lo, x_hi + 1):
        canvas.line(px(10**d), top, px(10**d), height - bottom, grey, 1)
        canvas.text(round(px(10**d)) - 10, height - bottom + 8, _label(10**d))
    for d in range(y_lo, y_hi + 1):
        canvas.line(left, py(10**d), width - right, py(10**d), grey, 1)
        canvas.text(8, round(py(10**d)) - 5, _label(10**d))
    canvas.line(left, height - bottom, width - right, height - bottom, black, 1)
    canvas.line(left, top, left, height - bottom, black, 1)
    canvas.text(left, 12, title)
    canvas.text((width - right) // 2, height - 18, x_label)
    canvas.text(8, top - 22, y_label)
    for n, (name, values) in enumerate(series.items()):
        color = _PALETTE[n % len(_PALETTE)]
        points = [(px(x), py(y)) for x, y in zip(xs, values, strict=True) if y and y > 0]
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            canvas.line(x0, y0, x1, y1, color)
        for x, y in points:
            canvas.dot(round(x) - 3, round(y) - 3, color, 7)
        canvas.line(
            width - right + 15, top + 10 + n * 22, width - right + 40, top + 10 + n * 22, color, 3
        )
        canvas.text(width - right + 48, top + 5 + n * 22, name)
    path = Path(path)
    path.write_bytes(canvas.png())
    return path
