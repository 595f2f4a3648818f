"""Puts a drawn chart on the page as an image with alt text, the way the workshop's widgets show plots.

Charts are drawn with matplotlib, which costs a kernel about 45 MB and half a second to import. The charts a
lesson shows before the learner touches anything are kept as PNG files in ``chart_cache/`` (written by
``python -m coachkit.simulations.default_charts``), so opening a lesson needs no matplotlib; the first change
the learner makes draws a fresh chart. tests/test_charts.py checks that every kept file is exactly what
matplotlib draws today.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import io
import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

from coachkit.forms.textinput import as_html_text

CHART_CACHE = Path(__file__).resolve().parent / "chart_cache"
# Set by `python -m coachkit.simulations.default_charts` only: a chart that is not kept yet is written to
# CHART_CACHE.
WRITE_CACHE_ENV = "COACHKIT_WRITE_CHART_CACHE"
# Lookups (kind, file, draw, args, kwargs) made inside record_lookups(): what the drift test re-draws.
# Nothing is recorded otherwise, so a learner's kernel does not keep every chart it drew.
_recording: list[list[tuple[str, Path, Callable[..., bytes], tuple, dict]]] = []


@contextlib.contextmanager
def record_lookups() -> Iterator[list[tuple[str, Path, Callable[..., bytes], tuple, dict]]]:
    """Collect the chart lookups made inside the block."""
    found: list[tuple[str, Path, Callable[..., bytes], tuple, dict]] = []
    _recording.append(found)
    try:
        yield found
    finally:
        _recording.remove(found)


def figure_png(figure) -> bytes:
    """A matplotlib Figure (with an Agg canvas) as PNG bytes."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_file(kind: str, args: tuple, kwargs: dict) -> Path:
    """Where the chart of ``kind`` drawn from these arguments is kept (named by a hash of them)."""
    payload = json.dumps([kind, list(args), kwargs], sort_keys=True, default=repr)
    return CHART_CACHE / f"{kind}-{hashlib.sha256(payload.encode()).hexdigest()[:16]}.png"


def kept_chart(kind: str) -> Callable[[Callable[..., bytes]], Callable[..., bytes]]:
    """Decorate a pure draw function (arguments in, PNG bytes out) so that kept charts are read, not drawn."""

    def decorate(draw: Callable[..., bytes]) -> Callable[..., bytes]:
        @functools.wraps(draw)
        def read_or_draw(*args, **kwargs) -> bytes:
            path = chart_file(kind, args, kwargs)
            for found in _recording:
                found.append((kind, path, draw, args, kwargs))
            try:
                return path.read_bytes()
            except OSError:
                pass
            png = draw(*args, **kwargs)
            if os.environ.get(WRITE_CACHE_ENV) == "1":
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(png)
            return png

        read_or_draw.draw = draw  # the undecorated function, for tests
        return read_or_draw

    return decorate


def chart_html(png: bytes, alt: str) -> str:
    """An <img> holding ``png``, with ``alt`` escaped; the caller shows the same content as text nearby."""
    data = base64.b64encode(png).decode("ascii")
    return (
        f'<figure class="ck-chart"><img src="data:image/png;base64,{data}" alt="{as_html_text(alt)}" '
        'style="max-width:100%;height:auto"></figure>'
    )


def summary_html(text: str) -> str:
    """A chart's reading in words, announced to screen readers when it changes."""
    return f'<p style="line-height:1.5" class="ck-chart-summary" role="status">{as_html_text(text)}</p>'


def status_html(text: str) -> str:
    """A problem with the learner's settings, said in the place of the chart's reading."""
    escaped = as_html_text(text)
    return f'<p style="line-height:1.5" class="ck-status ck-status--error" role="status">{escaped}</p>'


SIMULATION_FAILED_HTML = status_html("Something went wrong; please move a slider again.")


def assumptions_html(assumptions: list[str] | tuple[str, ...], evidence: str) -> str:
    """A model's assumptions and the strength of its evidence, shown next to its chart."""
    items = "".join(f"<li>{as_html_text(line)}</li>" for line in assumptions)
    return (
        '<div style="line-height:1.5" '
        f'class="ck-assumptions"><p><strong>What the model assumes</strong></p><ul>{items}</ul>'
        f'<p style="line-height:1.5" class="ck-evidence">{as_html_text(evidence)}</p></div>'
    )
