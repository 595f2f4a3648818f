"""The grading sandbox when the facilitator is not root, as on a hub with system accounts.

Run as anyone but root, ``bwrap`` makes a user namespace of its own (coachkit.grading.sandbox): the same
hostile run as tests/test_grading_sandbox.py must give the same outcome. Run as root, the test grades as a
throwaway uid with no account (``setpriv``), in a private mount namespace where the Python installation is in
view when it sits below a folder other users cannot enter (here it is under /root); the course is a fresh
folder that uid owns.
Run as anyone else, it grades as that user. Where user namespaces are not allowed, autograde refuses with a
hint saying so (the last test fakes such a bwrap).
"""

from __future__ import annotations

import os
import shlex
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import pytest

from coachkit.grading.sandbox import bwrap_path
from coachkit.paths import assets_dir
from tests.test_grading_sandbox import ANSWER, NAME, Run, probes_alive, submissions, wait_for_the_lingerer

REPO = Path(__file__).resolve().parent.parent
UID = 64124  # no account uses it; not the sandbox's own SANDBOX_UID (64123) either
pytestmark = pytest.mark.slow  # nbgrader, kernels, two minutes

HOSTILE = ["patcher", "key-reader", "solution-reader", "gradebook-writer", "lingerer", "fork-bomb", "peeker"]


def needed_paths() -> list[Path]:
    import coachkit

    return [
        Path(sys.base_prefix).resolve(),
        Path(sys.prefix),
        Path(sys.prefix).resolve(),
        Path(sys.executable).resolve(),
        Path(coachkit.__file__).resolve().parent,
        assets_dir(),
    ]


def closed_folders() -> dict[Path, set[str]]:
    """Folders on the way to what grading needs that other users cannot enter -> the entries needed in them
    (only the outermost such folder on each way)."""
    closed: dict[Path, set[str]] = {}
    for path in needed_paths():
        for parent in reversed(path.parents):
            if parent == Path("/") or parent.stat().st_mode & stat.S_IXOTH:
                continue
            child = path.relative_to(parent).parts[0]
            closed.setdefault(parent, set()).add(child)
            break
    return closed


def as_unprivileged(course: Path, command: list[str]) -> list[str]:
    """``command`` run in ``course`` as UID (root only): a private mount namespace puts an open folder (a
    small tmpfs) over each closed one, with only the entries grading needs bound back in; nothing changes
    outside."""
    stage = course.parent / f"{course.name}-stage"
    lines = ["set -e"]
    for number, (folder, children) in enumerate(sorted(closed_folders().items())):
        for child in sorted(children):
            held = stage / str(number) / child
            held.mkdir(parents=True, exist_ok=True)
            lines.append(f"mount --rbind {shlex.quote(str(folder / child))} {shlex.quote(str(held))}")
        lines.append(f"mount -t tmpfs -o mode=0755,size=1m coachkit-test {shlex.quote(str(folder))}")
        for child in sorted(children):
            held = stage / str(number) / child
            lines.append(f"mkdir {shlex.quote(str(folder / child))}")
            lines.append(f"mount --rbind {shlex.quote(str(held))} {shlex.quote(str(folder / child))}")
    lines.append(f"cd {shlex.quote(str(course))}")
    drop = ["setpriv", f"--reuid={UID}", f"--regid={UID}", "--clear-groups", "--"]
    lines.append("exec " + shlex.join([*drop, *command]))
    return ["unshare", "--mount", "--propagation", "private", "sh", "-c", "\n".join(lines)]


def nbgrader(course: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    bin_dir = Path(sys.executable).parent
    base = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "HOME": str(course),
        "LANG": "C.UTF-8",
        "NBGRADER_EXCHANGE": str(course / "exchange"),
        **(env or {}),
    }
    command = ["env", "-i", *(f"{k}={v}" for k, v in base.items()), sys.executable, "-m", "nbgrader", *args]
    if os.geteuid() == 0:
        command = as_unprivileged(course, command)
    return subprocess.run(command, cwd=course, capture_output=True, text=True, timeout=900)


def unprivileged_problem() -> str | None:
    """Why this machine cannot run the test, or None."""
    if bwrap_path() is None:
        return "bubblewrap is not installed (apt-get install bubblewrap)"
    if os.geteuid() == 0 and not (shutil.which("unshare") and shutil.which("setpriv")):
        return "run as root, the test needs unshare and setpriv (util-linux) to grade as another user"
    probe = ["env", "-i", "PATH=/usr/bin:/bin", "bwrap", "--unshare-all", "--ro-bind", "/", "/", "true"]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "probe"
        folder.mkdir()
        command = as_unprivileged(folder, probe) if os.geteuid() == 0 else probe
        done = subprocess.run(command, capture_output=True, text=True, timeout=60)
    if done.returncode != 0:
        return f"unprivileged user namespaces are not allowed here: {done.stderr.strip()[-200:]}"
    return None


@pytest.fixture(scope="module")
def course():
    problem = unprivileged_problem()
    if problem:
        pytest.skip(problem)
    root = Path(tempfile.mkdtemp(prefix="coachkit-unprivileged-"))
    course = root / "course"
    try:
        shutil.copytree(REPO / "solutions" / NAME, course / "solutions" / NAME)
        shutil.copy(REPO / "nbgrader_config.py", course / "nbgrader_config.py")
        if os.geteuid() == 0:
            root.chmod(0o755)
            for path in [course, *course.rglob("*")]:
                os.chown(path, UID, UID, follow_symlinks=False)
        yield course
    finally:
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="module")
def run(course) -> Run:
    result = nbgrader(course, "generate_assignment", NAME, "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    for student, nb in submissions(course, HOSTILE).items():
        folder = course / "submitted" / student / NAME
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NAME}.ipynb")
        if os.geteuid() == 0:
            for path in (course / "submitted" / student, folder, folder / f"{NAME}.ipynb"):
                os.chown(path, UID, UID)
    if os.geteuid() == 0:
        os.chown(course / "submitted", UID, UID)
    started = time.monotonic()
    result = nbgrader(course, "autograde", NAME)
    seconds = time.monotonic() - started
    log = result.stdout + result.stderr
    wait_for_the_lingerer(course)
    return Run(course, log, seconds)


def test_grading_runs_as_the_unprivileged_user(run):
    """Did nbgrader run as that user (it owns the gradebook) and grade every submission without an error?"""
    assert "error processing" not in run.log, run.log[-3000:]
    assert "grading without the sandbox" not in run.log
    if os.geteuid() == 0:
        assert (run.root / "gradebook.db").stat().st_uid == UID
    graded = {p.parent.parent.name for p in (run.root / "autograded").glob(f"*/{NAME}/{NAME}.ipynb")}
    assert graded == {"solution", "untouched", "partial", "zz-honest", *HOSTILE}


def test_honest_submissions_are_graded_right(run):
    grades = run.grades()
    for student in ("solution", "zz-honest"):
        assert grades[student]["check-classify"] == (8, 8)
        assert grades[student]["check-rewrite"] == (3, 3)
    assert grades["untouched"]["check-classify"] == (0, 8)
    assert grades["partial"]["check-classify"] == (5, 8)


@pytest.mark.parametrize("student", HOSTILE)
def test_hostile_submission_earns_nothing(run, student):
    grades = run.grades()[student]
    assert grades["check-classify"] == (0, 8), run.output(student, "check-classify")
    assert grades["check-rewrite"] == (0, 3)


def test_key_solutions_and_gradebook_are_out_of_sight(run):
    assert "no key here" in run.output("key-reader", ANSWER)
    assert "found []" in run.output("solution-reader", ANSWER)
    assert "found []" in run.output("peeker", ANSWER)
    text = run.output("gradebook-writer", ANSWER)
    assert "wrote" not in text and text.count("refused") == 2


def test_no_process_outlives_grading_and_forks_are_capped(run):
    assert probes_alive(run.root) == []
    assert run.grades()["untouched"]["check-classify"] == (0, 8)
    made = int(run.output("fork-bomb", ANSWER).split("forks ")[1].split()[0])
    assert made < 100


def test_autograde_refuses_when_bwrap_cannot_make_namespaces(tmp_path):
    """A bwrap that cannot create its namespaces (user namespaces not allowed): does autograde refuse at once,
    saying so and how to allow them, and grade nothing?"""
    shutil.copytree(REPO / "solutions" / NAME, tmp_path / "solutions" / NAME)
    shutil.copy(REPO / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    folder = tmp_path / "submitted" / "maria" / NAME
    folder.mkdir(parents=True)
    shutil.copy(REPO / "solutions" / NAME / f"{NAME}.ipynb", folder)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(Path(sys.executable).parent / "alembic", bin_dir / "alembic")
    fake = bin_dir / "bwrap"  # what Debian's bwrap prints when user namespaces are off
    fake.write_text(
        "#!/bin/sh\necho 'bwrap: No permissions to creating new namespace, likely because the kernel does"
        " not allow non-privileged user namespaces.' >&2\nexit 1\n"
    )
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_dir}:/usr/bin:/bin", "NBGRADER_EXCHANGE": str(tmp_path / "exchange")}
    run = [sys.executable, "-m", "nbgrader"]
    subprocess.run([*run, "generate_assignment", NAME, "--force"], cwd=tmp_path, env=env, capture_output=True)
    result = subprocess.run(
        [*run, "autograde", NAME], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300
    )
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "could not create its namespaces" in log and "user namespaces" in log, log
    assert "not allow non-privileged user namespaces" in log  # bwrap's own words are passed on
    assert "COACHKIT_GRADE_UNSANDBOXED" in log
    assert not (tmp_path / "autograded" / "maria").exists()
