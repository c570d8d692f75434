#!/usr/bin/env python3
"""Render `tmux capture-pane -e -p` output (SGR escapes) as an HTML page, so headless
chromium can screenshot a terminal editor. usage: ansi2html.py IN.ans OUT.html [title]"""
import html
import re
import sys

BASIC = ["#1e1e1e", "#cd3131", "#0dbc79", "#e5e510", "#2472c8", "#bc3fbc", "#11a8cd", "#e5e5e5",
         "#666666", "#f14c4c", "#23d18b", "#f5f543", "#3b8eea", "#d670d6", "#29b8db", "#ffffff"]
FG, BG = "#d4d4d4", "#1e1e1e"


def c256(n):
    if n < 16:
        return BASIC[n]
    if n < 232:
        n -= 16
        v = [0, 95, 135, 175, 215, 255]
        return "#%02x%02x%02x" % (v[n // 36], v[(n // 6) % 6], v[n % 6])
    g = 8 + (n - 232) * 10
    return "#%02x%02x%02x" % (g, g, g)


def main():
    src = open(sys.argv[1], encoding="utf-8", errors="replace").read()
    title = sys.argv[3] if len(sys.argv) > 3 else "terminal"
    st = {"fg": None, "bg": None, "b": False, "i": False, "u": False, "r": False}
    out = []
    for part in re.split(r"(\x1b\[[0-9;:]*m)", src):
        m = re.fullmatch(r"\x1b\[([0-9;:]*)m", part)
        if m:
            codes = [int(x) if x else 0 for x in re.split(r"[;:]", m.group(1))] or [0]
            i = 0
            while i < len(codes):
                c = codes[i]
                if c == 0:
                    st = {"fg": None, "bg": None, "b": False, "i": False, "u": False, "r": False}
                elif c == 1: st["b"] = True
                elif c == 3: st["i"] = True
                elif c in (4, 21): st["u"] = True
                elif c == 7: st["r"] = True
                elif c == 22: st["b"] = False
                elif c == 23: st["i"] = False
                elif c == 24: st["u"] = False
                elif c == 27: st["r"] = False
                elif 30 <= c <= 37: st["fg"] = BASIC[c - 30]
                elif 90 <= c <= 97: st["fg"] = BASIC[c - 90 + 8]
                elif 40 <= c <= 47: st["bg"] = BASIC[c - 40]
                elif 100 <= c <= 107: st["bg"] = BASIC[c - 100 + 8]
                elif c == 39: st["fg"] = None
                elif c == 49: st["bg"] = None
                elif c in (38, 48, 58) and i + 1 < len(codes):
                    if codes[i + 1] == 2 and i + 4 < len(codes):
                        col = "#%02x%02x%02x" % tuple(codes[i + 2:i + 5]); i += 4
                    elif codes[i + 1] == 5 and i + 2 < len(codes):
                        col = c256(codes[i + 2]); i += 2
                    else:
                        col = None
                    if c == 38: st["fg"] = col
                    elif c == 48: st["bg"] = col
                i += 1
            continue
        if not part:
            continue
        fg, bg = st["fg"] or FG, st["bg"] or BG
        if st["r"]:
            fg, bg = bg, fg
        css = "color:%s;background:%s" % (fg, bg)
        if st["b"]: css += ";font-weight:bold"
        if st["i"]: css += ";font-style:italic"
        if st["u"]: css += ";text-decoration:underline wavy"
        out.append('<span style="%s">%s</span>' % (css, html.escape(part)))
    page = """<!doctype html><meta charset="utf-8"><title>%s</title>
<style>body{margin:0;background:%s}pre{margin:0;padding:10px;font:15px/1.3 'DejaVu Sans Mono',monospace;color:%s}</style>
<pre>%s</pre>""" % (html.escape(title), BG, FG, "".join(out))
    open(sys.argv[2], "w", encoding="utf-8").write(page)


if __name__ == "__main__":
    main()
