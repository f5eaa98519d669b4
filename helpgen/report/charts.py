"""Inline SVG charts for the coverage report: no JavaScript, no external files."""
from __future__ import annotations

from html import escape
from typing import Sequence

from helpgen.report.i18n import Messages, messages


def bar_chart(periods: Sequence[dict], width: int = 640, height: int = 200, msgs: Messages | None = None) -> str:
    """Stacked bars per period: covered (bottom) and gap (top) ticket counts, with coverage as a title."""
    m = msgs or messages("en")
    if not periods:
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" role="img">'
                f'<title>{escape(m("chart_empty"))}</title></svg>')
    top = max(p["tickets"] for p in periods) or 1
    pad, plot_h = 30, height - 50
    step = (width - pad * 2) / len(periods)
    bar = max(step * 0.7, 1.0)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
             f'role="img" aria-label="{escape(m("chart"))}"><title>{escape(m("chart_title"))}</title>',
             f'<line x1="{pad}" y1="{pad + plot_h}" x2="{width - pad}" y2="{pad + plot_h}" stroke="#999"/>']
    for i, p in enumerate(periods):
        x = pad + i * step
        h_gap = plot_h * p["gap"] / top
        h_cov = plot_h * p["covered"] / top
        y_cov = pad + plot_h - h_cov
        label = escape(m("chart_bar", period=m.date(p["period"]), gap=m.num(p["gap"]), covered=m.num(p["covered"]),
                         pct=m.pct(p["coverage"])))
        parts.append(f'<g><title>{label}</title>'
                     f'<rect x="{x:.1f}" y="{y_cov:.1f}" width="{bar:.1f}" height="{h_cov:.1f}" fill="#8fbc8f"/>'
                     f'<rect x="{x:.1f}" y="{y_cov - h_gap:.1f}" width="{bar:.1f}" height="{h_gap:.1f}" '
                     f'fill="#d9534f"/></g>')
    first, last = escape(m.date(periods[0]["period"])), escape(m.date(periods[-1]["period"]))
    parts.append(f'<text x="{pad}" y="{height - 8}" font-size="11">{first}</text>')
    parts.append(f'<text x="{width - pad}" y="{height - 8}" font-size="11" text-anchor="end">{last}</text>')
    legend = escape(m("chart_legend", n=m.tickets(top)))
    parts.append(f'<text x="{pad}" y="{pad - 10}" font-size="11">{legend}</text>')
    parts.append("</svg>")
    return "".join(parts)


def sparkline(counts: Sequence[int], width: int = 90, height: int = 18, title: str = "trend") -> str:
    """A tiny inline trend line for one gap topic."""
    if len(counts) < 2:
        return ""
    top = max(counts) or 1
    step = width / (len(counts) - 1)
    pts = " ".join(f"{i * step:.1f},{height - 1 - (height - 2) * c / top:.1f}" for i, c in enumerate(counts))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" role="img">'
            f'<title>{escape(title)}</title><polyline fill="none" stroke="#d9534f" stroke-width="1.5" points="{pts}"/></svg>')
