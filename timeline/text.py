"""Text safety: the one path by which text from a link, a file or the data reaches the page.

Streamlit renders markdown in far more places than `st.markdown`: toasts, captions, titles,
expander and widget labels, help tooltips, metric labels. Any of them given text we did not
write must receive it through `md()`, which makes it inert: no markdown image (fetched from a
remote host in every visitor's browser), no link, no HTML, no colour directive (`:red[...]`),
no LaTeX (`$...$`), and no bare address turned into a link by the autolinker. Links are put in
only by `link()`, to addresses `safe_url()` accepts.
"""

from __future__ import annotations

import re
import string
from urllib.parse import quote

import pandas as pd

_PUNCT = re.compile("([" + re.escape(string.punctuation) + "])")

JOINER = "\u2060"
"""WORD JOINER: invisible, no line break, and not a word character, so it splits an address
where the GitHub-flavoured autolinker looks for `scheme://`, `www.` or `name@host` without
changing what a reader sees. The autolinker runs on the text after escapes are resolved, so
backslashes alone do not stop it."""

_AUTOLINK = re.compile(r"(:)(//)|\b(www)(\.)|(@)", re.IGNORECASE)


def _break_autolinks(text: str) -> str:
    def split(match: re.Match) -> str:
        if match.group(5):
            return f"{JOINER}@{JOINER}"
        left, right = (match.group(1), match.group(2)) if match.group(1) else match.group(3, 4)
        return f"{left}{JOINER}{right}"

    return _AUTOLINK.sub(split, text)


def md(text: object) -> str:
    """Data text made inert for anything Streamlit renders as markdown.

    Every ASCII punctuation character is backslash-escaped (markdown, HTML, `$`, `:`), bare
    addresses are split with an invisible joiner, and line breaks are kept as breaks.
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    return _PUNCT.sub(r"\\\1", _break_autolinks(str(text))).replace("\n", "  \n")


def safe_url(url: object) -> str | None:
    """An http(s) address fit for a markdown link target, or None (scripts, data:, spaces)."""
    if not isinstance(url, str) or not re.match(r"^https?://[^\s]+$", url.strip(), re.I):
        return None
    return quote(url.strip(), safe=":/?#[]@!$&'*+,;=%~").replace("(", "%28").replace(")", "%29")


def link(label: object, url: object) -> str:
    """A markdown link we put there: the label inert, the target checked; else the label alone."""
    target = safe_url(url)
    return f"[{md(label)}]({target})" if target else md(label)
