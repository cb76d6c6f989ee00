"""Writes docs/conjecture.svg from conjecture.json: ns per packet against rules, log-log, one line per evaluator.

Usage: python3 bench/plot/conjecture.py bench/plot/conjecture.json docs/conjecture.svg
"""
import math, sys, json
data = json.load(open(sys.argv[1]))
out = sys.argv[2]
W, H, L, R, T, B = 720, 440, 80, 200, 40, 60
xs = [10, 100, 1000, 10000]
ymin, ymax = 10, 300000
def px(x): return L + (math.log10(x) - 1) / 3 * (W - L - R)
def py(y): return T + (math.log10(ymax) - math.log10(y)) / (math.log10(ymax) - math.log10(ymin)) * (H - T - B)
s = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
     f'<rect width="{W}" height="{H}" fill="white"/>',
     f'<text x="{W/2 - 100}" y="22" font-size="14">ns per packet, pf-style header rules</text>']
for e in range(1, 6):
    y = py(10 ** e)
    s.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W-R}" y2="{y:.1f}" stroke="#ddd"/>')
    s.append(f'<text x="{L-8}" y="{y+4:.1f}" text-anchor="end">{10**e:,}</text>')
for x in xs:
    s.append(f'<line x1="{px(x):.1f}" y1="{T}" x2="{px(x):.1f}" y2="{H-B}" stroke="#eee"/>')
    s.append(f'<text x="{px(x):.1f}" y="{H-B+18}" text-anchor="middle">{x:,}</text>')
s.append(f'<text x="{(L + W - R)/2}" y="{H-15}" text-anchor="middle">rules</text>')
colors = ["#444", "#d62728", "#ff7f0e", "#1f77b4", "#2ca02c"]
for i, (name, pts) in enumerate(data.items()):
    c = colors[i % len(colors)]
    path = " ".join(f'{"M" if k == 0 else "L"}{px(x):.1f},{py(y):.1f}' for k, (x, y) in enumerate(pts))
    dash = ' stroke-dasharray="6,4"' if name.startswith("(a)") else ""
    s.append(f'<path d="{path}" fill="none" stroke="{c}" stroke-width="2"{dash}/>')
    for x, y in pts:
        s.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{c}"/>')
    s.append(f'<line x1="{W-R+15}" y1="{T+20+i*22}" x2="{W-R+40}" y2="{T+20+i*22}" stroke="{c}" stroke-width="2"{dash}/>')
    s.append(f'<text x="{W-R+46}" y="{T+24+i*22}">{name}</text>')
s.append('</svg>')
open(out, "w").write("\n".join(s) + "\n")
