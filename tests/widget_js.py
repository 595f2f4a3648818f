"""Runs a widget's browser code (an anywidget _esm file) in Node with tests/js/fake_page.mjs: the tests of
the round timer, the journal bridge and the labelled slider call it."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

FAKE_PAGE = Path(__file__).resolve().parent / "js" / "fake_page.mjs"


def run_widget_js(module: Path, body: str, tmp_path: Path) -> object:
    """Run ``body`` (JavaScript; ``widget`` is the module, ``page`` the fake page's exports) in Node and
    return what it passes to ``report(value)``."""
    if shutil.which("node") is None:
        pytest.skip("Node.js is needed to run the widget's browser code")
    copy = tmp_path / f"{module.stem}.mjs"  # an ES module by its name, in any Node version
    copy.write_text(module.read_text(encoding="utf-8"), encoding="utf-8")
    script = tmp_path / "run.mjs"
    script.write_text(
        f'import * as page from "{FAKE_PAGE.as_uri()}";\n'
        f'const widget = await import("{copy.as_uri()}");\n'
        "const report = (value) => console.log(JSON.stringify(value));\n"
        f"{body}\n",
        encoding="utf-8",
    )
    done = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])
