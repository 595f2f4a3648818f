"""The package works installed as a wheel, outside the repository, as Binder's postBuild installs it."""

import json
import os
import shutil
import subprocess
import sys
import textwrap
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest
from conftest import ARTIFACTS, free_port, stop_process, wait_for_http

REPO = Path(__file__).resolve().parent.parent
LESSON = REPO / "lessons" / "02-coaching-conversation.ipynb"  # question checker, GROW planner, self-checks


def packaged_files() -> list[str]:
    """What the installed package must find inside itself: every data file git keeps under coachkit/
    (anywidget's .js and .css, static pages, the chart cache, answer keys) and under assets/ and exercises/
    (coachkit.paths reads those from inside the package outside a checkout), named as inside the package."""
    listed = subprocess.run(
        ["git", "ls-files", "coachkit", "assets", "exercises"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    kept = [name for name in listed if not name.endswith(".py") and (REPO / name).is_file()]
    return [name.removeprefix("coachkit/") for name in kept]


CHECKS = textwrap.dedent(
    """
    import json, sys
    from importlib import resources
    from pathlib import Path

    import coachkit
    from coachkit import paths
    from coachkit.interactives.grow_planner import GrowPlanner
    from coachkit.classifiers.question_kinds import classify_question
    from coachkit.interactives.question_checker import QuestionChecker
    from coachkit.interactives.self_check import SelfCheck

    packaged = resources.files("coachkit")
    verdict = classify_question("What would you like to get out of this hour?")
    checker = QuestionChecker()
    checker.text.value = "Did you finish the report?"
    checker.check_button.click()
    GrowPlanner()
    SelfCheck("a04-listening-numbers")
    print(json.dumps({
        "package": str(Path(coachkit.__file__).resolve().parent),
        "assets": str(paths.assets_dir()),
        "missing": [name for name in sys.argv[1:] if not (packaged / name).is_file()],
        "chart_cache": sorted(p.name for p in (packaged / "forms" / "chart_cache").iterdir()),
        "kind": verdict.kind,
        "checker_kind": checker.verdict.kind if checker.verdict else None,
        "checker_says": checker.result.value,
    }))
    """
)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Iterator[Path]:
    """A clean virtual environment with the wheel and its dependencies, nothing from the repository."""
    work = tmp_path_factory.mktemp("wheel")
    built = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(built), str(REPO)],
        check=True,
        cwd=work,
    )
    (wheel,) = built.glob("coachkit-*.whl")
    venv = work / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, cwd=work)
    python = venv / "bin" / "python"
    # --no-compile: byte-compiling the whole Jupyter stack costs about 30 s here, and nothing needs it.
    subprocess.run(
        [str(python), "-m", "pip", "install", "-q", "--no-compile", str(wheel)], check=True, cwd=work
    )
    yield python
    shutil.rmtree(work, ignore_errors=True)  # some 600 MB; pytest would keep three runs of it


def outside_env(tmp_path: Path, python: Path) -> dict:
    """An environment that knows nothing of the repository: its own home, no COACHKIT_ROOT, no PYTHONPATH."""
    ours = ("COACHKIT_", "PYTHON", "JUPYTER", "VIRTUAL")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env.update(
        HOME=str(home),
        PATH=f"{python.parent}{os.pathsep}{env.get('PATH', '')}",
        MPLBACKEND="Agg",
        COACHKIT_JOURNAL_DIR=str(tmp_path / "journal"),
        COACHKIT_BOARD_DIR=str(tmp_path / "board"),
    )
    return env


@pytest.mark.slow
def test_installed_wheel_finds_its_data_outside_the_repository(installed, tmp_path):
    """Installed from the wheel and run from a folder outside the repository, do the question checker,
    GrowPlanner() and SelfCheck("a04-listening-numbers") work from the data the wheel carries?"""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    done = subprocess.run(
        [str(installed), "-c", CHECKS, *packaged_files()],
        cwd=outside,
        env=outside_env(tmp_path, installed),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.strip().splitlines()[-1])
    package = Path(report["package"])
    assert REPO not in package.parents and package.is_relative_to(installed.parent.parent)
    assert Path(report["assets"]) == package / "assets"
    assert report["missing"] == []
    kept = sorted(p.name for p in (REPO / "coachkit" / "forms" / "chart_cache").iterdir())
    assert report["chart_cache"] == kept, "the wheel does not carry the chart cache"
    assert report["kind"] == "open"
    assert report["checker_kind"] == "closed"
    assert "Something went wrong" not in report["checker_says"]


@pytest.mark.slow
def test_a_lesson_runs_from_the_installed_wheel(installed, tmp_path):
    """Does a lesson copied out of the repository run top to bottom in the clean environment's kernel,
    without an error output, and is the package its kernel imports the installed one?"""
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    lesson = outside / LESSON.name
    shutil.copy(LESSON, lesson)
    source = "import coachkit, sys; print(coachkit.__file__); print(sys.prefix)"
    probe = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(source)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(probe, outside / "probe.ipynb")
    for notebook in (lesson, outside / "probe.ipynb"):
        # nbconvert run by the clean environment's python starts the python3 kernel with that python.
        subprocess.run(
            [str(installed), "-m", "nbconvert", "--to", "notebook", "--execute", "--inplace", notebook.name],
            cwd=outside,
            env=outside_env(tmp_path, installed),
            check=True,
            capture_output=True,
            timeout=300,
        )
    ran = nbformat.read(lesson, as_version=4)
    errors = [o for c in ran.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert not errors
    streams = [
        o.text
        for c in ran.cells
        if c.cell_type == "code"
        for o in c.outputs
        if o.output_type == "stream" and o.name == "stderr"
    ]
    assert not streams, f"the lesson wrote to stderr: {streams}"
    shown = json.dumps([o for c in ran.cells if c.cell_type == "code" for o in c.outputs])
    assert "Something went wrong" not in shown
    printed = nbformat.read(outside / "probe.ipynb", as_version=4).cells[0].outputs[0].text.splitlines()
    venv = installed.parent.parent
    assert Path(printed[0]).is_relative_to(venv), printed
    assert Path(printed[1]) == venv, printed


@pytest.mark.slow
def test_binder_route_serves_the_landing_page_and_a_lesson_from_the_wheel(installed, tmp_path):
    """As on Binder (postBuild's wheel install, a Jupyter server in a folder with the lessons): does the
    server extension the wheel enables serve /coachkit/, and does Voila render a lesson without an error?"""
    home = tmp_path / "binder-home"  # what Binder's home holds of the repository that matters here
    shutil.copytree(REPO / "lessons", home / "lessons")
    shutil.copy(REPO / "voila.json", home / "voila.json")
    port = free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    command = [str(installed.parent / "jupyter"), "server", "--no-browser", "--allow-root", f"--port={port}"]
    command += ["--ServerApp.port_retries=0", "--ServerApp.token=wheel-test", f"--ServerApp.root_dir={home}"]
    with open(ARTIFACTS / f"wheel-binder-{port}.log", "w") as log:
        process = subprocess.Popen(
            command,
            cwd=home,
            env=outside_env(tmp_path, installed),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for_http(f"{base}/coachkit/?token=wheel-test", process=process)
        with urllib.request.urlopen(f"{base}/coachkit/?token=wheel-test", timeout=30) as response:
            landing = response.read().decode()
        assert "voila/render/lessons/02-coaching-conversation.ipynb" in landing
        lesson = f"{base}/voila/render/lessons/02-coaching-conversation.ipynb?token=wheel-test"
        with urllib.request.urlopen(lesson, timeout=180) as response:
            page = response.read().decode()
        assert "application/vnd.jupyter.widget-view" in page
        assert "Something went wrong" not in page
        assert "Traceback" not in page
        assert '"output_type": "error"' not in page and "There was an error when executing" not in page
    finally:
        stop_process(process)


def test_coachkit_root_wins_where_it_has_the_folder(tmp_path, monkeypatch):
    """Does COACHKIT_ROOT's assets/ win, and does a root without one fall back to the package's data?"""
    from coachkit import paths

    monkeypatch.setenv("COACHKIT_ROOT", str(tmp_path))
    assert paths.assets_dir() == REPO / "assets"  # no assets/ there: the checkout's
    assert paths.lessons_dir() == tmp_path.resolve() / "lessons"
    (tmp_path / "assets").mkdir()
    assert paths.assets_dir() == tmp_path.resolve() / "assets"


def test_outside_a_checkout_the_data_comes_from_the_package(tmp_path, monkeypatch):
    """Without a checkout around the package, are assets/ and exercises/ read from inside the package,
    and are the lessons looked for in the working directory?"""
    from coachkit import paths

    monkeypatch.delenv("COACHKIT_ROOT", raising=False)
    monkeypatch.setattr(paths, "checkout_root", lambda: None)
    monkeypatch.setattr(paths, "packaged_dir", lambda name: tmp_path / "package" / name)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "package" / "assets").mkdir(parents=True)
    (tmp_path / "package" / "exercises").mkdir()
    assert paths.assets_dir() == tmp_path / "package" / "assets"
    assert paths.exercises_dir() == tmp_path / "package" / "exercises"
    assert paths.lessons_dir() == tmp_path.resolve() / "lessons"
