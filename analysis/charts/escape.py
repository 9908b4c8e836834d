"""Text that goes into HTML (plotly hover labels, TimelineJS slides): escaped, and links only
to http(s) addresses.

Event fields come from news reports and third-party exports; a note such as
``<img src=x onerror=alert(1)>`` must show as text and never run. Everything is vectorised
(``Series.str`` methods), so it is fast on large tables.
"""

from __future__ import annotations

import html
import re

import numpy as np
import pandas as pd

from analysis.schema import STR_DTYPE
from analysis.values import printable

# order matters: "&" first, so the entities added next are not escaped twice
_ENTITIES = (("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ('"', "&#34;"), ("'", "&#39;"))
# characters that would end an href attribute or open a tag, percent-encoded
_URL_UNSAFE = (('"', "%22"), ("'", "%27"), ("<", "%3C"), (">", "%3E"), ("`", "%60"),
               (" ", "%20"))


def escape_html(values: pd.Series) -> pd.Series:
    """HTML-escape text (as :func:`html.escape` does) so it displays as text, never as markup.

    Quotes become numeric references (``&#34;``, ``&#39;``), which plotly's label renderer
    decodes (it does not know ``&quot;``). Blank values become ``""``.

    Examples
    --------
    >>> escape_html(pd.Series(['<img src=x onerror="alert(1)">', None])).tolist()
    ['&lt;img src=x onerror=&#34;alert(1)&#34;&gt;', '']
    """
    text = values.astype(STR_DTYPE).fillna("")
    for char, entity in _ENTITIES:
        text = text.str.replace(char, entity, regex=False)
    return text.astype(object)


def markdown_text(value: object) -> str:
    r"""Text to put in a Markdown file as text: ``& < >`` escaped (a truce name with
    ``<script>`` stays text; quotes are harmless in Markdown and stay as they are), link and
    code marks escaped, control characters shown as codes, one line.

    Examples
    --------
    >>> print(markdown_text('Truce <img src=x onerror=alert(1)> [go](javascript:x) `y`'))
    Truce &lt;img src=x onerror=alert(1)&gt; \[go\](javascript:x) \`y\`
    """
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = html.escape(str(value), quote=False).replace("\n", " ").replace("\r", " ")
    text = printable(text)
    return re.sub(r"([\[\]`])", r"\\\1", text)


def escape_text(value: object) -> str:
    """Escape one string (a title, a truce name) like :func:`escape_html`."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return escape_html(pd.Series([str(value)])).iloc[0]


def http_urls(values: pd.Series) -> pd.Series:
    """Keep only ``http://`` / ``https://`` addresses (others become ``""``), with the
    characters that could break out of an attribute percent-encoded.

    Examples
    --------
    >>> http_urls(pd.Series(["https://a.org/x?q=1&r=2", "javascript:alert(1)", 'https://b.org/"><x'])).tolist()
    ['https://a.org/x?q=1&r=2', '', 'https://b.org/%22%3E%3Cx']
    """
    text = values.astype(STR_DTYPE).fillna("").str.strip()
    ok = text.str.match(r"^https?://[^\s]+$", case=False, na=False)
    for char, code in _URL_UNSAFE:
        text = text.str.replace(char, code, regex=False)
    return text.where(ok, "").astype(object)


def link_html(urls: pd.Series, labels: pd.Series) -> pd.Series:
    """``<a href="url">label</a>`` for http(s) URLs (label escaped); ``""`` otherwise."""
    url = http_urls(urls)
    anchor = '<a href="' + escape_html(url) + '" target="_blank">' + escape_html(labels) + "</a>"
    return anchor.where(url != "", "").astype(object)


def wrap_lines(values: pd.Series, width: int = 60) -> pd.Series:
    """Wrap text at spaces to lines of about ``width`` characters, joined by ``\\n``."""
    text = values.astype(STR_DTYPE).fillna("")
    wrapped = text.str.replace(rf"(.{{1,{width}}})(?:\s+|$)", "\\1\n", regex=True)
    return wrapped.str.rstrip("\n").astype(object)


def first_non_blank(*columns: pd.Series) -> pd.Series:
    """Row-wise first non-blank value across ``columns`` (blank = missing or ``""``)."""
    out = pd.Series(np.nan, index=columns[0].index, dtype=STR_DTYPE)
    for col in columns:  # a few columns
        text = col.astype(STR_DTYPE).str.strip()
        out = out.fillna(text.where(text != ""))
    return out


# a link or image whose target is not a web address: ``[x](javascript:...)``, ``[x]: data:...``
_UNSAFE_LINK = re.compile(r"\]\((?!\s*<?https?://)|^(\s*)\[([^\]\n]*)\]:(?!\s*<?https?://)",
                          re.MULTILINE)


def safe_markdown(text: object) -> str:
    r"""Markdown built from data (a finding, a story's title), made safe to render: raw HTML
    shows as text (``& < >`` escaped), a link or image to anything but an http(s) address is
    left as plain text, and control characters are shown as codes. Markdown's own marks (bold,
    lists, http links) still work.

    nbconvert's HTML and other renderers do not sanitise Markdown: a truce named
    ``<img src=x onerror=...>`` would run in the published page without this.

    Examples
    --------
    >>> print(safe_markdown('**Truce <img src=x onerror=alert(1)>** [go](javascript:x) '
    ...                     '[ok](https://example.org)'))
    **Truce &lt;img src=x onerror=alert(1)&gt;** [go\](javascript:x) [ok](https://example.org)
    """
    if text is None or (not isinstance(text, str) and pd.isna(text)):
        return ""
    text = printable(html.escape(str(text), quote=False))
    return _UNSAFE_LINK.sub(lambda m: "\\](" if m.group(0).startswith("]")
                            else f"{m.group(1)}\\[{m.group(2)}\\]:", text)
