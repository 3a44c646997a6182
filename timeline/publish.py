"""Charts ready for an article: title, subtitle, source line, licence and link baked into the
figure, and the image button's file name, scale and format; the share link and embed snippet.

Plotly's image button exports the figure as drawn, so what the saved image carries has to be in
the figure's layout: a test reads it there.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

import plotly.graph_objects as go

SITE = "Nagorno-Karabakh: a sourced timeline"
LICENCE = "Data CC BY 4.0 · Code MIT"
SCALE = 2
"""2x: a 980 px wide chart saves as 1960 px, sharp on a retina screen and in print columns."""
LINE_PX = {"title": 22, "subtitle": 17, "footer": 15}
"""Height of a line of the title (16 px bold), subtitle (13 px) and footer (11 px)."""
WRAP = {"title": 44, "subtitle": 60, "footer": 48}
"""Characters per line: a 390 px phone column holds about 44 characters of the 16 px bold title
and 48 of the 11 px footer beside a left margin of tick labels, so nothing is cut on a phone; a
desktop chart gets two short lines."""
BELOW_PLOT_PX = 30
"""Room under the plot for the x axis' tick labels; more for an axis title or a range slider."""


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


def _wrapped(text: str, width: int) -> list[str]:
    return [html.escape(line) for line in textwrap.wrap(text, width)] or [""]


def _link_lines(link: str, width: int) -> list[str]:
    """An address cut before a `&` or `/` so each piece fits a phone-wide line."""
    pieces = re.split(r"(?=[&/?])", link)
    lines = [""]
    for piece in pieces:
        if lines[-1] and len(lines[-1]) + len(piece) > width:
            lines.append("")
        lines[-1] += piece
    return [html.escape(line) for line in lines if line]


def source_line(publishers, most: int = 5) -> str:
    """Who gives a chart's figures, most cited first: 'A, B and C', or 'A, B, C, D, E and 3
    others' when there are many (the table under the chart names each)."""
    counts: dict[str, int] = {}
    for name in publishers:
        if isinstance(name, str) and name.strip():
            counts[name.strip()] = counts.get(name.strip(), 0) + 1
    names = sorted(counts, key=lambda n: -counts[n])
    if len(names) > most:
        rest = len(names) - most
        return ", ".join(names[:most]) + f" and {rest} other{'s' if rest > 1 else ''}"
    return listed(names)


def listed(items: list[str]) -> str:
    """Items as a sentence lists them: 'A', 'A and B', 'A, B and C' (empty for none)."""
    return " and ".join([", ".join(items[:-1]), items[-1]]) if len(items) > 1 else "".join(items)


def footer_lines(meta: Meta) -> list[str]:
    lines = []
    if meta.source:
        lines += _wrapped("Source: " + meta.source, WRAP["footer"])
    credit = f"{SITE} · {LICENCE}"
    # the licence kept whole: "CC BY 4.0" cut over two lines reads as two things
    parts = [credit] if len(credit) <= WRAP["footer"] else [SITE, LICENCE]
    lines += [html.escape(part) for part in parts]
    if meta.link:
        lines += _link_lines(meta.link, WRAP["footer"])
    return lines


def _below_plot(fig: go.Figure) -> int:
    """Pixels the figure draws under its plot area: tick labels, axis title, range slider, and
    whatever bottom margin its builder asked for (a note under the chart)."""
    axis = fig.layout.xaxis
    px = BELOW_PLOT_PX
    if axis.title.text:
        px += 26
    if axis.rangeslider.visible:
        height = fig.layout.height or 450
        px += int((axis.rangeslider.thickness or 0.15) * height) + 8
    own = fig.layout.margin.b if fig.layout.margin.b is not None else 0
    return max(px, own)


def publishable(fig: go.Figure, meta: Meta) -> go.Figure:
    """The figure with its title and subtitle on top and the source, licence and link under it,
    wrapped so that a phone-wide chart cuts none of them.

    Everything is placed from the top and the bottom edges of the image: the title block at
    the top, the legend under it, the footer at the bottom and the axis above the footer, so
    the pieces cannot cover each other whatever the chart's height. Every text from data or
    the URL is escaped: Plotly renders a subset of HTML in titles and annotations."""
    out = go.Figure(fig)
    title_lines = _wrapped(meta.title, WRAP["title"])
    sub_lines = _wrapped(meta.subtitle, WRAP["subtitle"]) if meta.subtitle else []
    head_px = 20 + LINE_PX["title"] * len(title_lines) + LINE_PX["subtitle"] * len(sub_lines)
    foot = footer_lines(meta)
    foot_px = 14 + LINE_PX["footer"] * len(foot)
    below = _below_plot(out)
    top = out.layout.margin.t if out.layout.margin.t is not None else 40
    title: dict = {
        "text": "<b>" + "<br>".join(title_lines) + "</b>",
        "x": 0,
        "xanchor": "left",
        "xref": "container",
        "y": 1,
        "yanchor": "top",
        "yref": "container",
        "pad": {"t": 14, "l": 8},
        "font": {"size": 16},
    }
    if sub_lines:
        title["subtitle"] = {"text": "<br>".join(sub_lines), "font": {"size": 13}}
    height = (out.layout.height or 450) + head_px + foot_px
    layout: dict = {
        "title": title,
        "height": height,
        "margin": {"t": max(top, 16) + head_px, "b": below + foot_px},
    }
    if out.layout.showlegend is not False and len(out.data) > 1:
        # under the title, whatever the builder chose: a legend left above or below the plot
        # would cover the title or the footer once it wraps on a phone
        layout["legend"] = {"yref": "container", "y": 1 - head_px / height, "yanchor": "top"}
    out.update_layout(**layout)
    out.update_yaxes(automargin=True)  # tick labels and axis title inside the image
    out.add_annotation(
        text="<br>".join(foot),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yshift=-below - 8,
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
