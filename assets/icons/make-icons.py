#!/usr/bin/env python3
"""Draws nianbao's icon (a statistics table on a report page, one cell marked red, and a green
check mark) into PNG files of several sizes, with nothing but the standard library.

Run from anywhere: python3 assets/icons/make-icons.py
Writes assets/icons/hicolor/SIZExSIZE/apps/nianbao.png; the SVG beside this script is the same
drawing for the scalable size. The PNGs are committed, so building the package needs no Python.
"""

import os
import struct
import zlib

SIZES = [16, 24, 32, 48, 64, 128, 256, 512]
HERE = os.path.dirname(os.path.abspath(__file__))

# Colours (RGB): a deep blue tile, a white page, grey grid lines, a red cell, a green check.
TILE = (29, 78, 137)
PAGE = (255, 255, 255)
GRID = (120, 134, 156)
HEAD = (214, 226, 240)
FLAG = (214, 64, 52)
CHECK = (46, 160, 67)


def rounded_rect(x, y, x0, y0, x1, y1, r):
    """True when (x, y) lies inside the rectangle with rounded corners of radius r."""
    if x < x0 or x > x1 or y < y0 or y > y1:
        return False
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def near_segment(x, y, ax, ay, bx, by, w):
    """True when (x, y) is within w/2 of the segment from a to b."""
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)))
    px, py = ax + t * dx, ay + t * dy
    return (x - px) ** 2 + (y - py) ** 2 <= (w / 2) ** 2


def colour_at(x, y):
    """The icon on the unit square: an RGBA colour, or None for transparent."""
    if not rounded_rect(x, y, 0.02, 0.02, 0.98, 0.98, 0.18):
        return None
    # The check mark is drawn over everything, with a white outline.
    check = [(0.56, 0.74, 0.68, 0.86), (0.68, 0.86, 0.90, 0.58)]
    if any(near_segment(x, y, *seg, 0.085) for seg in check):
        return CHECK
    if any(near_segment(x, y, *seg, 0.15) for seg in check):
        return PAGE
    page = (0.16, 0.12, 0.84, 0.88)
    if not rounded_rect(x, y, *page, 0.04):
        return TILE
    # A table of 4 columns and 5 rows on the page, the header row tinted, one cell flagged.
    tx0, ty0, tx1, ty1 = 0.24, 0.22, 0.76, 0.72
    if tx0 <= x <= tx1 and ty0 <= y <= ty1:
        cols, rows = 4, 5
        cw, rh = (tx1 - tx0) / cols, (ty1 - ty0) / rows
        line = 0.022
        fx, fy = (x - tx0) / cw, (y - ty0) / rh
        on_line = min(fx - int(fx), 1 - (fx - int(fx))) * cw < line / 2 or min(
            fy - int(fy), 1 - (fy - int(fy))
        ) * rh < line / 2
        if on_line or x - tx0 < line or tx1 - x < line or y - ty0 < line or ty1 - y < line:
            return GRID
        if int(fy) == 0:
            return HEAD
        if int(fx) == 2 and int(fy) == 3:
            return FLAG
        return PAGE
    # Two text lines above the table stand for the report's title.
    if 0.24 <= x <= 0.62 and 0.155 <= y <= 0.185:
        return GRID
    return PAGE


def render(size, samples=4):
    """RGBA rows of the icon at size×size, each pixel averaged over samples² points."""
    rows = []
    for py in range(size):
        row = bytearray()
        for px in range(size):
            r = g = b = a = 0
            for sy in range(samples):
                for sx in range(samples):
                    c = colour_at((px + (sx + 0.5) / samples) / size, (py + (sy + 0.5) / samples) / size)
                    if c is not None:
                        r, g, b, a = r + c[0], g + c[1], b + c[2], a + 1
            n = samples * samples
            if a:
                row += bytes((r // a, g // a, b // a, 255 * a // n))
            else:
                row += b"\0\0\0\0"
        rows.append(bytes(row))
    return rows


def png(rows, size):
    """A PNG file (8-bit RGBA, no filter) from the rows."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + row for row in rows)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main():
    for size in SIZES:
        folder = os.path.join(HERE, "hicolor", f"{size}x{size}", "apps")
        os.makedirs(folder, exist_ok=True)
        # Small sizes get more samples so the thin grid lines stay visible.
        data = png(render(size, samples=8 if size <= 32 else 4), size)
        with open(os.path.join(folder, "nianbao.png"), "wb") as f:
            f.write(data)
        print(f"{size}x{size}: {len(data)} bytes")


if __name__ == "__main__":
    main()
