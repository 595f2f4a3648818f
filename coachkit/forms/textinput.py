"""The input rules every widget applies to learner text: a clear message for bad input, nothing lost.

Learner text is data. It is never executed, never used in a file name or path, and is shown with
``html.escape`` (or in a widget that renders plain text), never as raw HTML.
"""

from __future__ import annotations

import html
import unicodedata
from dataclasses import dataclass

DEFAULT_LIMIT = 5000  # characters; a reflection of a few pages fits, a pasted 1 MB file does not


@dataclass(frozen=True)
class TextField:
    """One text box of a form: its key in the saved entry, its label, the example shown in it, its limit."""

    key: str
    label: str
    placeholder: str
    limit: int = DEFAULT_LIMIT


class TextInputError(ValueError):
    """Raised with a message meant for the learner, e.g. 'Please write something first.'"""


def clean_text(
    value: object, *, limit: int = DEFAULT_LIMIT, required: bool = True, label: str = "This field"
) -> str:
    """Return ``value`` tidied for storage, or raise TextInputError with a friendly message.

    Newlines and tabs survive, other control characters are dropped (they break exports and
    terminals), emoji and every other printable character are kept as typed.
    """
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise TextInputError(f"{label} must be text.")
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    text = text.strip()
    if required and not text:
        raise TextInputError(f"{label} is empty. Please write something first.")
    if len(text) > limit:
        raise TextInputError(
            f"{label} is too long: {len(text):,} characters, and the limit is {limit:,}. "
            "Please shorten it; nothing has been saved yet, so your text is still in the box."
        )
    return text


def as_html_text(text: str) -> str:
    """Learner text made safe to place inside HTML: escaped, with line breaks kept."""
    return html.escape(text).replace("\n", "<br>")
