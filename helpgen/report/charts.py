"""Inline SVG charts for the coverage report: no JavaScript, no external files."""
from __future__ import annotations

from html import escape
from typing import Sequence


def bar_chart(periods: Sequence[dict], width: int = 640, height: int = 200) -> str:
    """Stacked bars per period: covered (bottom) and gap (top) ticket counts, with coverage as a title."""
    if not periods:
        return '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" role="img"><title>no dated tickets</title></svg>'
    top = max(p["tickets"] for p in periods) or 1
    pad, plot_h = 30, height - 50
    step = (width - pad * 2) / len(periods)
    bar = max(step * 0.7, 1.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="Gap tickets per period"><title>Covered and gap tickets per period</title>',
             f'<line x1="{pad}" y1="{pad + plot_h}" x2="{width - pad}" y2="{pad + plot_h}" stroke="#999"/>']
    for i, p in enumerate(periods):
        x = pad + i * step
        h_gap = plot_h * p["gap"] / top
        h_cov = plot_h * p["covered"] / top
        y_cov = pad + plot_h - h_cov
        label = escape(f'{p["period"]}: {p["gap"]} gap, {p["covered"]} covered ({p["coverage"]:.0%} coverage)')
        parts.append(f'<g><title>{label}</title>'
                     f'<rect x="{x:.1f}" y="{y_cov:.1f}" width="{bar:.1f}" height="{h_cov:.1f}" fill="#8fbc8f"/>'
                     f'<rect x="{x:.1f}" y="{y_cov - h_gap:.1f}" width="{bar:.1f}" height="{h_gap:.1f}" '
                     f'fill="#d9534f"/></g>')
    first, last = escape(periods[0]["period"]), escape(periods[-1]["period"])
    parts.append(f'<text x="{pad}" y="{height - 8}" font-size="11">{first}</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{last}</text>')
    parts.append(f'<text x="{pad}" y="{pad - 10}" font-size="11">max {top} tickets; red = gap, green = covered</text>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline(counts: Sequence[int], width: int = 90, height: int = 18) -> str:
    """A tiny inline trend line for one gap topic."""
    if len(counts) < 2:
        return ""
    top = max(counts) or 1
    step = width / (len(counts) - 1)
    pts = " ".join(f"{i * step:.1f},{height - 1 - (height - 2) * c / top:.1f}" for i, c in enumerate(counts))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
            f'<title>trend</title><polyline fill="none" stroke="#d9534f" stroke-width="1.5" points="{pts}"/></svg>')
