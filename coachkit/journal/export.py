"""Journal exports a person can read, print and carry to another machine, and reading them back."""

from __future__ import annotations

import html
import json
import re
from datetime import UTC, datetime

from coachkit.course.skills import SKILLS
from coachkit.journal.document import FORMAT_NAME, JournalImportError, journal_document, parse_created

DATA_MARKER = "coachkit-journal-data"
_MARKDOWN_DATA = re.compile(r"<!-- " + DATA_MARKER + r"\n(.*?)\n-->", re.DOTALL)
_HTML_DATA = re.compile(
    r'<script type="application/json" id="' + DATA_MARKER + r'">(.*?)</script>', re.DOTALL
)

KIND_TITLES = {
    "reflection": "Reflection",
    "self-assessment": "Self-assessment",
    "tally": "Observer tally",
    "grow-plan": "GROW plan",
    "action-plan": "Action plan",
    "follow-up-review": "Follow-up review",
    "absence-plan": "Absence plan",
    "barrier-check": "Barrier check",
    "approach": "Coach or tell",
    "selfcheck": "Self-check",
    "prompt": "Reflection prompt",
    "question-disagreement": "A question I disagree with the checker about",
}


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind.replace("-", " ").capitalize())


def field_title(key: str) -> str:
    return key.replace("_", " ").replace("-", " ").strip().capitalize()


_LESSON_TITLES: dict[str, str] | None = None


def lesson_title(name: str) -> str:
    """A lesson or exercise as people know it: 'Lesson 03: Role play', 'Exercise: Asking open questions'."""
    global _LESSON_TITLES
    if _LESSON_TITLES is None:
        titles: dict[str, str] = {}
        try:
            from coachkit.course import catalog

            for lesson in catalog.lessons():
                titles[lesson.filename.removesuffix(".ipynb")] = f"Lesson {lesson.number}: {lesson.title}"
                for check in lesson.selfchecks:
                    titles[check] = _exercise(catalog.exercise_title(check))
        except Exception:  # noqa: BLE001 - titles are a courtesy: without the lessons the names stay
            titles = {}
        _LESSON_TITLES = titles
    if name in _LESSON_TITLES:
        return _LESSON_TITLES[name]
    if re.match(r"^a\d\d-", name):
        try:
            from coachkit.course import catalog

            title = catalog.exercise_title(name)
        except Exception:  # noqa: BLE001
            title = name
        if title != name:
            return _exercise(title)
    return f"lesson {name}"


def _exercise(title: str) -> str:
    return title if title.lower().startswith("exercise") else f"Exercise: {title}"


def _skill_titles() -> dict[str, str]:
    return {skill.key: skill.title for skill in SKILLS}


def display_data(entry: dict) -> dict:
    """An entry's fields as a reader should see them: skill names instead of their codes, and so on."""
    data = dict(entry["data"])
    if entry["kind"] == "self-assessment" and isinstance(data.get("ratings"), dict):
        skills = _skill_titles()
        data["ratings"] = {
            skills.get(key, field_title(key)): f"{value} of 5" if isinstance(value, int) else value
            for key, value in data["ratings"].items()
        }
    return data


def sections(entries: list[dict]) -> list[dict]:
    """What an export shows, in order: one section per entry, except that each self-check shows its latest
    result once, with the earlier results as its history (every entry stays in the import data)."""
    latest_check: dict[str, dict] = {}
    history: dict[str, list[dict]] = {}
    for entry in entries:
        if entry["kind"] == "selfcheck":
            history.setdefault(entry["lesson"], []).append(entry)
            latest_check[entry["lesson"]] = entry
    shown = []
    for entry in entries:
        if entry["kind"] == "selfcheck" and latest_check[entry["lesson"]] is not entry:
            continue
        data = display_data(entry)
        if entry["kind"] == "selfcheck":
            data = _selfcheck_data(entry, history[entry["lesson"]])
        shown.append(
            {
                "title": f"{kind_title(entry['kind'])}, {lesson_title(entry['lesson'])}",
                "when": when(entry["created"]),
                "data": data,
                "entry": entry,
            }
        )
    return shown


def _result(data: dict) -> str:
    right, total = data.get("right"), data.get("total")
    if isinstance(right, int) and isinstance(total, int):
        return f"{right} of {total} right"
    return plain_value(data)


def _selfcheck_data(latest: dict, all_results: list[dict]) -> dict:
    data = {"latest_result": _result(latest["data"])}
    earlier = [entry for entry in all_results if entry is not latest]
    if earlier:
        data["earlier_results"] = "; ".join(
            f"{_result(entry['data'])} ({when(entry['created'])})" for entry in earlier
        )
    return data


def before_and_after(entries: list[dict]) -> list[tuple[str, object, object]]:
    """(skill, before, after) from the latest self-assessment of each moment, when both exist."""
    latest: dict[str, dict] = {}
    for entry in entries:
        if entry["kind"] == "self-assessment" and isinstance(entry["data"].get("ratings"), dict):
            moment = entry["data"].get("moment")
            if moment in ("before", "after"):
                latest[moment] = entry["data"]["ratings"]
    if set(latest) != {"before", "after"}:
        return []
    skills = _skill_titles()
    keys = list(dict.fromkeys([*latest["before"], *latest["after"]]))
    return [
        (skills.get(key, field_title(key)), latest["before"].get(key), latest["after"].get(key))
        for key in keys
    ]


def when(created: str) -> str:
    """An entry's time as a reader expects it: '28 Nov 2026, 10:40 UTC'."""
    moment = parse_created(created).astimezone(UTC)
    return moment.strftime("%d %b %Y, %H:%M UTC")


def embedded_json(entries: list[dict]) -> str:
    """The import data, with <, > and & as JSON escapes so it can never close a comment or a script."""
    text = json.dumps({"format": FORMAT_NAME, **journal_document(entries)}, ensure_ascii=False)
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def plain_value(value: object) -> str:
    """A non-text value as the learner would write it (numbers as they are, lists with commas)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "-"
    if isinstance(value, list):
        return ", ".join(plain_value(item) for item in value)
    return str(value)


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]|#])")


def markdown_text(text: str) -> str:
    """Learner text inside Markdown: HTML escaped, and Markdown's link and emphasis marks made literal."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", html.escape(text, quote=False))


def _markdown_field(key: str, value: object) -> list[str]:
    label = html.escape(field_title(key))
    if isinstance(value, dict):
        lines = [f"**{label}:**", ""]
        for sub_key, sub_value in value.items():
            lines.append(f"- {html.escape(field_title(sub_key))}: {markdown_text(plain_value(sub_value))}")
        return [*lines, ""]
    text = plain_value(value)
    if "\n" not in text:
        return [f"**{label}:** {markdown_text(text)}", ""]
    # a block quote keeps the learner's line breaks; escaping keeps their HTML from being rendered
    return [f"**{label}:**", "", *[f"> {markdown_text(line)}".rstrip() for line in text.split("\n")], ""]


def journal_markdown(entries: list[dict]) -> str:
    now = datetime.now(UTC).strftime("%d %b %Y, %H:%M UTC")
    lines = [
        "# My coaching journal",
        "",
        f"Exported on {now}: {len(entries)} entr{'y' if len(entries) == 1 else 'ies'}. "
        "To carry this journal to another computer, import this file there "
        "(the data at the end of the file is what the import reads).",
        "",
    ]
    for section in sections(entries):
        lines += [f"## {markdown_text(section['title'])}", "", f"*{section['when']}*", ""]
        for key, value in section["data"].items():
            lines += _markdown_field(key, value)
    lines += [f"<!-- {DATA_MARKER}", embedded_json(entries), "-->", ""]
    return "\n".join(lines)


def _html_field(key: str, value: object) -> str:
    label = html.escape(field_title(key))
    if isinstance(value, dict):
        items = "".join(
            f"<li>{html.escape(field_title(k))}: {html.escape(plain_value(v))}</li>" for k, v in value.items()
        )
        return f"<dt>{label}</dt><dd><ul>{items}</ul></dd>"
    return f"<dt>{label}</dt><dd>{html.escape(plain_value(value))}</dd>"


def _change(before: object, after: object) -> str:
    if isinstance(before, int) and isinstance(after, int):
        return f"{after - before:+d}" if after != before else "same"
    return "-"


PAGE_STYLE = """
body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 46rem; margin: 2rem auto;
       padding: 0 1rem; color: #1a1a1a; }
h1 { font-size: 1.8rem; } h2 { font-size: 1.25rem; margin-bottom: 0.2rem; }
article { border-top: 1px solid #bbb; padding-top: 0.5rem; margin-top: 1.5rem; break-inside: avoid; }
.when { color: #444; margin-top: 0; } dt { font-weight: bold; margin-top: 0.6rem; }
dd { margin-left: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
table.compare { border-collapse: collapse; width: 100%; } caption { text-align: left; color: #444; }
table.compare th, table.compare td {
  border-bottom: 1px solid #ccc; padding: 0.3rem 0.5rem; text-align: left; }
@media print { body { margin: 0; max-width: none; } }
"""


def journal_html(entries: list[dict]) -> str:
    now = datetime.now(UTC).strftime("%d %b %Y, %H:%M UTC")
    articles = []
    compared = before_and_after(entries)
    if compared:
        rows = "".join(
            f"<tr><th scope='row'>{html.escape(skill)}</th><td>{html.escape(plain_value(before))}</td>"
            f"<td>{html.escape(plain_value(after))}</td><td>{_change(before, after)}</td></tr>"
            for skill, before, after in compared
        )
        articles.append(
            "<article><h2>Your self-assessment, before and after</h2><table class='compare'>"
            "<caption>Your own ratings from 1 (rarely true of me) to 5 (almost always true), the latest of "
            "each</caption><thead><tr><th scope='col'>Skill</th><th scope='col'>Before</th>"
            f"<th scope='col'>After</th><th scope='col'>Change</th></tr></thead><tbody>{rows}</tbody></table>"
            "</article>"
        )
    for section in sections(entries):
        fields = "".join(_html_field(key, value) for key, value in section["data"].items())
        articles.append(
            f"<article><h2>{html.escape(section['title'])}</h2>"
            f'<p class="when">{html.escape(section["when"])}</p><dl>{fields}</dl></article>'
        )
    body = "\n".join(articles) or "<p>Your journal has no entries yet.</p>"
    count = f"{len(entries)} entr{'y' if len(entries) == 1 else 'ies'}"
    # the CSP forbids every script and remote load, so even a mistake in escaping could not run code
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>My coaching journal</title>
<style>{PAGE_STYLE}</style>
</head>
<body>
<main>
<h1>My coaching journal</h1>
<p>Exported on {now}: {count}. Print this page or keep the file; import it on another computer to carry
your journal there.</p>
{body}
</main>
<script type="application/json" id="{DATA_MARKER}">{embedded_json(entries)}</script>
</body>
</html>
"""


def extract_document(text: str) -> object:
    """The JSON document inside an export (raw JSON, or the data block of a Markdown or HTML export)."""
    stripped = text.lstrip("\ufeff").strip()
    if stripped.startswith("{"):
        raw = stripped
    else:
        found = _MARKDOWN_DATA.search(stripped) or _HTML_DATA.search(stripped)
        if not found:
            raise JournalImportError(
                "This file is not a coachkit journal: choose a file you downloaded with "
                "'Download my journal (Markdown)' or 'Printable page (HTML)'."
            )
        raw = found.group(1)
    try:
        return json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise JournalImportError(
            "This file looks like a journal but its data is damaged; nothing was imported."
        ) from exc
