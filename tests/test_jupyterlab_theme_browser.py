"""Lessons and exercises in real JupyterLab, in its light and dark themes (issue 18), measured in Chromium:

a notebook opens unmodified (JupyterLab writes the kernel's metadata on open; a notebook that differs is
marked modified and autosave then writes outputs into the tracked file), no widget label or button has its
text cut off, and every check or cross mark has at least 4.5:1 contrast against its computed background.
"""

from __future__ import annotations

import contextlib
import json
import platform
import shutil
from pathlib import Path

import pytest
from conftest import REPO, jupyterlab, run_all_cells

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOKEN = "theme-lab-test"
SCREENS = Path("/work/notes/screens")
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}
LESSON = "lessons/02-coaching-conversation.ipynb"
LESSONS = sorted(f"lessons/{path.name}" for path in (REPO / "lessons").glob("*.ipynb"))
EXERCISE = "exercises/a01-questions/a01-questions.ipynb"
# The notebooks record the Python the project's environment runs (coachkit.course.notebook_metadata).
RECORDED_PYTHON = json.loads((REPO / LESSON).read_text(encoding="utf-8"))["metadata"]["language_info"][
    "version"
]
SAME_PYTHON = RECORDED_PYTHON == platform.python_version()

# Every widget label and button whose text does not fit: cut (scrollWidth > clientWidth) where its text
# cannot show past its box (overflow hidden or an ellipsis).
TRUNCATED = """() => {
  const found = [];
  const all = document.querySelectorAll(
    '.jp-OutputArea .jupyter-widgets .widget-label, .jp-OutputArea .jupyter-widgets .widget-label-basic, ' +
    '.jp-OutputArea button.jupyter-button, .jp-OutputArea .widget-dropdown select');
  for (const el of all) {
    if (!el.getClientRects().length || !el.textContent.trim()) continue;
    const style = getComputedStyle(el);
    const hides = style.textOverflow === 'ellipsis' || style.overflow === 'hidden' ||
      style.overflowX === 'hidden';
    if (hides && el.scrollWidth > el.clientWidth + 1) {
      found.push(el.textContent.trim().slice(0, 60) + ' (' + el.scrollWidth + ' > ' + el.clientWidth + ')');
    }
  }
  return found;
}"""

# The contrast of every element whose own text starts with a check or cross mark, against the first
# background colour that is not transparent, on it or an ancestor (WCAG 2 relative luminance).
MARK_CONTRAST = """() => {
  const rgb = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let node = el; node; node = node.parentElement) {
      const c = rgb(getComputedStyle(node).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0)) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const out = [];
  const walker = document.createTreeWalker(document.querySelector('.jp-Notebook'), NodeFilter.SHOW_TEXT);
  for (let text = walker.nextNode(); text; text = walker.nextNode()) {
    const mark = text.textContent.trim().charAt(0);
    if (!'✓✗✔✘'.includes(mark) || !mark) continue;
    const el = text.parentElement;
    if (!el.getClientRects().length) continue;
    const fg = lum(rgb(getComputedStyle(el).color)), bg = lum(background(el));
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    out.push({mark, ratio: Math.round(ratio * 100) / 100, color: getComputedStyle(el).color,
              background: 'rgb(' + background(el).join(',') + ')'});
  }
  return out;
}"""


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab on a free port over a copy of the lessons, an exercise and the assets (nothing in the
    repository is saved over), with settings of its own so that the test can choose the theme."""
    root = tmp_path_factory.mktemp("theme-lab")
    settings = tmp_path_factory.mktemp("theme-lab-settings")
    for folder in ("lessons", "assets"):
        shutil.copytree(REPO / folder, root / folder)
    (root / EXERCISE).parent.mkdir(parents=True)
    shutil.copy(REPO / EXERCISE, root / EXERCISE)
    env = {
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(settings / "workspaces"),
    }
    with jupyterlab(root, TOKEN, "theme-lab", env) as base:
        yield base, root, settings


def choose_theme(settings: Path, theme: str) -> None:
    folder = settings / "@jupyterlab" / "apputils-extension"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "themes.jupyterlab-settings").write_text(json.dumps({"theme": THEMES[theme]}))
    # no "get notified about Jupyter news?" toast over the page (and no request off this machine)
    (folder / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false"}))


def wait_until_idle(page) -> None:
    page.wait_for_timeout(1500)
    page.get_by_text("| Idle", exact=False).first.wait_for(timeout=180_000)


def open_notebook(page, base: str, name: str) -> None:
    # reset: a fresh workspace, not the notebooks the last test left open (each would start a kernel)
    page.goto(f"{base}lab/tree/{name}?reset&token={TOKEN}", timeout=180_000)
    page.wait_for_selector(".jp-NotebookPanel:visible .jp-Notebook", timeout=180_000)
    wait_until_idle(page)  # the kernel is up and JupyterLab has written its metadata
    page.wait_for_timeout(2000)


def dirty_tabs(page) -> list[str]:
    """The tabs JupyterLab marks modified; none on a Python other than the one the notebooks record."""
    if not SAME_PYTHON:
        return []  # JupyterLab rewrites language_info.version there (test_notebook_hygiene warns)
    return page.eval_on_selector_all(".lm-TabBar-tab.jp-mod-dirty", "tabs => tabs.map(t => t.textContent)")


@contextlib.contextmanager
def run_in_lab(browser, lab, theme: str, name: str):
    """Open ``name`` in JupyterLab's ``theme`` in a fresh browser context, check it is not marked modified,
    run all its cells and yield the page; the context is closed afterwards."""
    base, _root, settings = lab
    choose_theme(settings, theme)
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        open_notebook(page, base, name)
        assert page.evaluate("document.body.dataset.jpThemeLight") == (
            "true" if theme == "light" else "false"
        )
        assert dirty_tabs(page) == [], f"{name} opened as already modified"
        run_all_cells(page, ".jp-NotebookPanel:visible .jp-Notebook")
        yield page
    finally:
        context.close()


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_lesson_02_opens_clean_and_reads_whole_in_jupyterlab(browser, lab, theme):
    """In JupyterLab's light and dark themes, does lesson 02 open unmodified, and once run and checked,
    show every label and button whole and its check and cross marks at 4.5:1 or more?"""
    with run_in_lab(browser, lab, theme, LESSON) as page:
        page.wait_for_selector(".ck-journal-prompt-box, .jp-OutputArea .jupyter-widgets", timeout=120_000)
        wait_until_idle(page)
        truncated = page.evaluate(TRUNCATED)
        assert truncated == [], f"cut off in JupyterLab's {theme} theme: {truncated}"
        # Start both self-checks, then check them and the contract openings unanswered: each gets marks.
        start = page.get_by_role("button", name="Start the self-check", exact=False)
        for _ in range(start.count()):
            start.first.click()
            page.wait_for_timeout(1500)
        page.get_by_role("button", name="Check my answers", exact=True).first.wait_for(timeout=30_000)
        # one right answer (situation 1's best opening is B, assets/opening-contracts.json) for a ✓
        page.get_by_label("Best opening for situation 1", exact=True).select_option(label="Opening B")
        checks = page.get_by_role("button", name="Check my answers", exact=True)
        for index in range(checks.count()):
            checks.nth(index).click()
        page.locator(".ck-mark").first.wait_for(timeout=30_000)
        wait_until_idle(page)
        truncated = page.evaluate(TRUNCATED)
        assert truncated == [], f"cut off in JupyterLab's {theme} theme: {truncated}"
        marks = page.evaluate(MARK_CONTRAST)
        assert {"✓", "✗"} <= {mark["mark"] for mark in marks}, (
            f"a check and a cross were not both shown: {marks}"
        )
        weak = [mark for mark in marks if mark["ratio"] < 4.5]
        assert weak == [], f"marks under 4.5:1 in the {theme} theme: {weak}"
        if SCREENS.parent.exists():
            SCREENS.mkdir(exist_ok=True)
            page.get_by_role("button", name="Check my answers", exact=True).last.scroll_into_view_if_needed()
            page.screenshot(path=str(SCREENS / f"lab-{theme}-02.png"))


@pytest.mark.parametrize("theme", sorted(THEMES))
def test_an_exercise_opens_clean_and_reads_whole_in_jupyterlab(browser, lab, theme):
    """Does an exercise open unmodified in JupyterLab, and after running show no label cut off?"""
    with run_in_lab(browser, lab, theme, EXERCISE) as page:
        page.wait_for_selector(".jp-OutputArea-output", timeout=120_000)
        wait_until_idle(page)
        assert page.evaluate(TRUNCATED) == []
        weak = [mark for mark in page.evaluate(MARK_CONTRAST) if mark["ratio"] < 4.5]
        assert weak == [], f"marks under 4.5:1 in the {theme} theme: {weak}"


@pytest.mark.parametrize("name", LESSONS)
def test_every_lesson_opens_clean_and_whole_in_jupyterlab(browser, lab, name):
    """Does every lesson open unmodified in JupyterLab (dark theme), and once run show no label, button
    or dropdown cut off and no mark under 4.5:1?"""
    with run_in_lab(browser, lab, "dark", name) as page:
        page.wait_for_selector(".jp-OutputArea .jupyter-widgets", timeout=120_000)
        wait_until_idle(page)
        page.wait_for_timeout(2000)  # the last widgets are drawn after the kernel goes idle
        assert page.evaluate(TRUNCATED) == []
        weak = [mark for mark in page.evaluate(MARK_CONTRAST) if mark["ratio"] < 4.5]
        assert weak == []
