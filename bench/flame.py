#!/usr/bin/env python3
"""Renders async-profiler's collapsed stacks (one "frame;frame;... count" per line) as a small
static SVG flame graph. Usage:

    bench/flame.py STACKS.collapsed OUT.svg [TITLE] [THREAD_PREFIX] [MIN_PERCENT]

THREAD_PREFIX keeps only the stacks whose first frame (the thread, with async-profiler's
`threads` option) starts with it, e.g. "[multiThreadIoEventLoopGroup". Frames narrower than
MIN_PERCENT (default 0.25) of all samples are left out, which keeps the file small. Hover a
box to see its frame and share (the SVG <title>).
"""
import html
import sys
import zlib


def load(path, prefix):
    root = {"n": 0, "kids": {}}
    for line in open(path, encoding="utf-8", errors="replace"):
        stack, _, count = line.rstrip("\n").rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = stack.split(";")
        if prefix and not frames[0].startswith(prefix):
            continue
        n = int(count)
        node = root
        node["n"] += n
        for f in frames:
            node = node["kids"].setdefault(f, {"n": 0, "kids": {}})
            node["n"] += n
    return root


def colour(name):
    h = zlib.crc32(name.encode())
    if name.endswith("_[k]"):
        return "rgb(230,%d,%d)" % (140 + h % 60, 60 + h % 40)     # kernel: orange
    if "/" in name or "." in name and "(" not in name:
        return "rgb(%d,%d,90)" % (80 + h % 60, 170 + h % 60)      # Java: green
    return "rgb(240,%d,%d)" % (190 + h % 50, 60 + h % 40)          # native: yellow


def main():
    src, out = sys.argv[1], sys.argv[2]
    title = sys.argv[3] if len(sys.argv) > 3 else src
    prefix = sys.argv[4] if len(sys.argv) > 4 else ""
    min_pct = float(sys.argv[5]) if len(sys.argv) > 5 else 0.25
    root = load(src, prefix)
    total = root["n"] or 1
    width, row = 1200, 16
    boxes = []

    def walk(node, x, depth):
        for name, kid in sorted(node["kids"].items()):
            w = kid["n"] * width / total
            if 100 * kid["n"] / total >= min_pct:
                boxes.append((x, depth, w, name, kid["n"]))
                walk(kid, x, depth + 1)
            x += w

    walk(root, 0.0, 0)
    depth = max((b[1] for b in boxes), default=0) + 1
    height = (depth + 2) * row
    parts = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" font-family="monospace" '
             'font-size="10">' % (width, height),
             '<text x="4" y="12" font-size="12">%s (%d samples)</text>' % (html.escape(title), total)]
    for x, d, w, name, n in boxes:
        y = height - (d + 1) * row
        label = name if len(name) * 6 < w else name[: max(0, int(w / 6) - 2)] + ".." if w > 24 else ""
        parts.append('<g><title>%s: %d samples, %.2f%%</title><rect x="%.1f" y="%d" width="%.1f" height="%d" '
                     'fill="%s" stroke="white" stroke-width="0.5"/><text x="%.1f" y="%d">%s</text></g>'
                     % (html.escape(name), n, 100 * n / total, x, y, w, row - 1, colour(name), x + 2, y + 11,
                        html.escape(label)))
    parts.append("</svg>")
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(parts))


if __name__ == "__main__":
    main()
