"""Puts a drawn chart on the page as an image with alt text, the way the workshop's widgets show plots."""

from __future__ import annotations

import base64
import io

from coachkit.textinput import as_html_text


def figure_png(figure) -> bytes:
    """A matplotlib Figure (with an Agg canvas) as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_html(png: bytes, alt: str) -> str:
    """An <img> holding ``png``, with ``alt`` escaped; the caller shows the same content as text nearby."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure class="ck-chart"><img src="data:image/png;base64,{data}" alt="{as_html_text(alt)}" '
        'style="max-width:100%;height:auto"></figure>'
    )
