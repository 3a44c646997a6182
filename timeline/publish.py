"""Charts ready for an article: title, subtitle, source line, licence and link baked into the
figure, and the image button's file name, scale and format; the share link and embed snippet.

Plotly's image button exports the figure as drawn, so what the saved image carries has to be in
the figure's layout: a test reads it there.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import plotly.graph_objects as go

SITE = "Nagorno-Karabakh: a sourced timeline"
LICENCE = "Data CC BY 4.0 · Code MIT"
SCALE = 2
"""2x: a 980 px wide chart saves as 1960 px, sharp on a retina screen and in print columns."""
FOOTER_PX = 64
"""Room under the plot for the source line, licence and link (three lines of 11 px text)."""


@dataclass(frozen=True)
class Meta:
    """What a published chart says about itself."""

    name: str
    """File name stem, e.g. `arrivals-armenia-2023`."""
    title: str
    subtitle: str = ""
    source: str = ""
    """Who gives the figures, e.g. 'Armenian government, UNHCR'."""
    link: str = ""
    """The address of the view the chart was saved from."""


def file_name(text: str) -> str:
    """A file name a journalist can keep: lowercase words joined by dashes, no path tricks."""
    stem = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return stem[:80] or "chart"


def config(meta: Meta, svg: bool = False) -> dict:
    """The `config` of st.plotly_chart: the camera button saves `meta.name` at 2x (SVG where
    asked: Plotly writes SVG for every trace type but map tiles)."""
    return {
        "displaylogo": False,
        "toImageButtonOptions": {
            "format": "svg" if svg else "png",
            "filename": file_name(meta.name),
            "scale": SCALE,
        },
    }


def footer_lines(meta: Meta) -> list[str]:
    lines = []
    if meta.source:
        lines.append("Source: " + html.escape(meta.source))
    lines.append(html.escape(f"{SITE} · {LICENCE}"))
    if meta.link:
        lines.append(html.escape(meta.link))
    return lines


def publishable(fig: go.Figure, meta: Meta) -> go.Figure:
    """The figure with its title and subtitle on top and the source, licence and link under it.

    Every text from data or the URL is escaped: Plotly renders a subset of HTML in titles and
    annotations."""
    out = go.Figure(fig)
    top = out.layout.margin.t if out.layout.margin.t is not None else 40
    bottom = out.layout.margin.b if out.layout.margin.b is not None else 40
    title: dict = {"text": f"<b>{html.escape(meta.title)}</b>", "x": 0, "xanchor": "left"}
    if meta.subtitle:
        title["subtitle"] = {"text": html.escape(meta.subtitle)}
    out.update_layout(
        title=title,
        margin={"t": max(top, 80 if meta.subtitle else 56), "b": bottom + FOOTER_PX},
    )
    out.add_annotation(
        text="<br>".join(footer_lines(meta)),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-bottom - 6,
        xanchor="left",
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#555"},
        name="publish-footer",
    )
    return out


def view_link(base_url: str, params: Mapping[str, list[str] | str]) -> str:
    """The address that reopens the view: the page's address and its query parameters."""
    base = base_url.split("?", 1)[0].split("#", 1)[0]
    pairs = [(k, v) for k, vs in params.items() for v in ([vs] if isinstance(vs, str) else vs)]
    pairs = [(k, v) for k, v in pairs if k not in ("embed", "embed_options")]
    return base + ("?" + urlencode(pairs) if pairs else "")


def embed_link(link: str) -> str:
    return link + ("&" if "?" in link else "?") + "embed=true"


def iframe(link: str, title: str, height: int = 720) -> str:
    """An <iframe> for an article, in Streamlit's embed mode (no menu, no sidebar)."""
    return (
        f'<iframe src="{html.escape(embed_link(link))}" title="{html.escape(title)}" '
        f'width="100%" height="{int(height)}" style="border:0" loading="lazy"></iframe>'
    )
