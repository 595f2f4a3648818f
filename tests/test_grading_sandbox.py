"""Hostile submissions through the real `nbgrader autograde`, in the sandbox (coachkit.grading.sandbox).

One course folder and one autograde run of a01 hold honest submissions (the solution, the untouched student
version, a partly answered one) beside submissions that try to cheat or to break the run: patch the checks,
import the key, read solutions/, write the gradebook, leave a process behind that edits scores later, fill the
disk, fork without end, read another learner's submission, crash the kernel. Each earns nothing it should
not, changes no other grade, and every honest submission is graded right.
"""

from __future__ import annotations

import copy
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from coachkit.grading.sandbox import bwrap_path

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        bwrap_path() is None, reason="bubblewrap is not installed (apt-get install bubblewrap)"
    ),
]

REPO = Path(__file__).resolve().parent.parent
NAME = "a01-questions"
ANSWER = "answer-classify"
PROBE = "coachkit-linger-probe"
RIGHT = {"q1": "A", "q2": "B", "q3": "C", "q4": "D", "q5": "C", "q6": "B", "q7": "E", "q8": "F"}


def nbgrader(course: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "PATH": path, "NBGRADER_EXCHANGE": str(course / "exchange"), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


def meta(cell) -> dict:
    return cell.metadata.get("nbgrader", {})


def with_answer(nb, source: str):
    nb = copy.deepcopy(nb)
    next(c for c in nb.cells if meta(c).get("grade_id") == ANSWER).source = source
    return nb


def hostile(course: Path) -> dict[str, str]:
    """learner -> the code of their classification cell (no honest answer anywhere)."""
    root = str(course)
    copy_answers = (
        "import json, re\n"
        "def take(path):\n"
        "    text = open(path).read()\n"
        "    for name, letter in re.findall(r'(q[1-8]) = \\\\\"([A-F])\\\\\"', text):\n"
        "        globals()[name] = letter\n"
    )
    return {
        # Replace the check with one that says "full marks", in every way a kernel can.
        "patcher": (
            "from coachkit.grading import answer_keys\n"
            "answer_keys.TaskCheck.__call__ = lambda self, namespace=None, **answers: 8.0\n"
            "answer_keys.TaskCheck.against_key = lambda self: self\n"
            "import builtins\n"
            "_print = builtins.print\n"
            "builtins.print = lambda *a, **k: _print('8.0')\n"
        ),
        # Take the answers from the key.
        "key-reader": (
            "import coachkit.grading.answer_keys as keys, pathlib\n"
            "print(pathlib.Path(keys.__file__).read_text()[:200])\n"
            "task = keys.ASSIGNMENTS['a01-questions'].task('classify')\n"
            "for item in task.items:\n"
            "    globals()[item.name] = item.answer\n"
        ),
        # Take them from the instructor's notebook, by relative and by absolute path.
        "solution-reader": copy_answers
        + (
            "import glob\n"
            f"found = glob.glob('../../../solutions/*/*.ipynb') + glob.glob('{root}/solutions/*/*.ipynb')\n"
            "print('found', found)\n"
            "for path in found:\n"
            "    take(path)\n"
        ),
        # Set another learner's grade to 0 and its own to full marks, straight in the gradebook.
        "gradebook-writer": (
            "import sqlite3\n"
            "for path in ['../../../gradebook.db', '" + root + "/gradebook.db']:\n"
            "    try:\n"
            "        db = sqlite3.connect(path)\n"
            "        db.execute('update grade set auto_score = 0')\n"
            "        db.commit()\n"
            "        print('wrote', path)\n"
            "    except Exception as error:\n"
            "        print('refused', path, error)\n"
        ),
        # A process of its own that outlives the notebook and edits the gradebook once grading is over.
        "lingerer": (
            "import subprocess, sys\n"
            'later = "import time, sqlite3\\n'
            "time.sleep(8)\\n"
            "db = sqlite3.connect('" + root + "/gradebook.db')\\n"
            "db.execute('update grade set auto_score = max_score')\\n"
            "db.commit()\\n"
            "# " + PROBE + " " + root + '"\n'
            "subprocess.Popen(['setsid', sys.executable, '-c', later], start_new_session=True)\n"
        ),
        # Fill every writable place until the disk is full.
        "disk-filler": (
            "import os\n"
            "for folder in ['/tmp', os.path.expanduser('~'), '.', '" + root + "']:\n"
            "    written = 0\n"
            "    try:\n"
            "        for n in range(100_000):\n"
            "            with open(os.path.join(folder, f'fill-{n}'), 'wb') as f:\n"
            "                for _ in range(16):\n"
            "                    f.write(b'x' * 1_000_000)\n"
            "                    written += 1\n"
            "    except Exception as error:\n"
            "        print(folder, 'stopped after', written, 'MB:', type(error).__name__)\n"
        ),
        # Fork without end: every child forks again.
        "fork-bomb": (
            "import os, time\n"
            "made = refused = 0\n"
            "for _ in range(500):\n"
            "    try:\n"
            "        pid = os.fork()\n"
            "    except OSError:\n"
            "        refused += 1\n"
            "        continue\n"
            "    if pid == 0:\n"
            "        while True:\n"
            "            try:\n"
            "                os.fork()\n"
            "            except OSError:\n"
            "                pass\n"
            "            time.sleep(0.5)\n"
            "    made += 1\n"
            "print('forks', made, 'refused', refused)\n"
        ),
        # Copy the answers of the learner graded before (or the honest submission) from disk.
        "peeker": copy_answers
        + (
            "import glob\n"
            "found = glob.glob('../../*/a01-questions/*.ipynb')\n"
            f"found += glob.glob('{root}/submitted/*/a01-questions/*.ipynb')\n"
            f"found += glob.glob('{root}/autograded/*/a01-questions/*.ipynb')\n"
            "found = [path for path in found if '/peeker/' not in path]  # its own notebook is no help\n"
            "print('found', found)\n"
            "for path in found:\n"
            "    take(path)\n"
        ),
        # A kernel that dies in the middle of the notebook.
        "crasher": "import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n",
        # Use more memory than allowed.
        "memory-hog": "hog = bytearray(8 * 1024**3)\n",
    }


class Run:
    def __init__(self, root: Path, log: str, seconds: float):
        self.root = root
        self.log = log
        self.seconds = seconds

    def grades(self) -> dict[str, dict[str, tuple[float | None, float]]]:
        from nbgrader.api import Gradebook

        result = {}
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            for submission in gb.assignment_submissions(NAME):
                result[submission.student_id] = {
                    grade.name: (grade.auto_score, grade.max_score)
                    for notebook in submission.notebooks
                    for grade in notebook.grades
                }
        return result

    def output(self, student: str, grade_id: str) -> str:
        nb = nbformat.read(self.root / "autograded" / student / NAME / f"{NAME}.ipynb", as_version=4)
        cell = next(c for c in nb.cells if meta(c).get("grade_id") == grade_id)
        return "".join(o.get("text", "") + o.get("evalue", "") for o in cell.outputs)


def probes_alive(course: Path) -> list[int]:
    """The lingerers of the run in ``course`` still alive (another module's run in a parallel worker has its
    own course folder in its probe)."""
    marker = f"{PROBE} {course}"
    alive = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if marker in (entry / "cmdline").read_text(errors="replace"):
                    alive.append(int(entry.name))
            except OSError:
                continue
    return alive


def wait_for_the_lingerer(course: Path, timeout: float = 60) -> None:
    """Return once no lingerer of the run in ``course`` is alive: at once when the sandbox ended it with the
    grading; else after it has slept and tried its edit of the gradebook, which the tests then look for."""
    deadline = time.monotonic() + timeout
    while probes_alive(course) and time.monotonic() < deadline:
        time.sleep(0.2)


def submissions(root: Path, students: list[str] | None = None) -> dict[str, nbformat.NotebookNode]:
    """The run's notebooks by student, from the course at ``root`` after generate_assignment: the solution,
    the untouched release, a partial one, each hostile one (or only ``students``) and an honest one last."""
    source = nbformat.read(root / "solutions" / NAME / f"{NAME}.ipynb", as_version=4)
    release = nbformat.read(root / "exercises" / NAME / f"{NAME}.ipynb", as_version=4)
    partial = "\n".join(f'{name} = "{letter}"' for name, letter in list(RIGHT.items())[:5])
    notebooks = {"solution": source, "untouched": release, "partial": with_answer(release, partial)}
    code = hostile(root)
    for student in students or code:
        notebooks[student] = with_answer(release, code[student])
    # An honest submission graded after each hostile one: the order is the students' names.
    notebooks["zz-honest"] = source
    return notebooks


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("sandboxed-course")
    shutil.copytree(REPO / "solutions" / NAME, root / "solutions" / NAME)
    shutil.copy(REPO / "nbgrader_config.py", root / "nbgrader_config.py")
    result = nbgrader(root, "generate_assignment", NAME, "--force")
    assert result.returncode == 0, result.stdout + result.stderr
    for student, nb in submissions(root).items():
        folder = root / "submitted" / student / NAME
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{NAME}.ipynb")
    # generate_assignment recorded the assignment in the gradebook; autograde records the students.
    started = time.monotonic()
    result = nbgrader(root, "autograde", NAME)
    seconds = time.monotonic() - started
    log = result.stdout + result.stderr
    (root / "autograde.log").write_text(log, encoding="utf-8")
    wait_for_the_lingerer(root)
    return Run(root, log, seconds)


def test_honest_submissions_are_graded_right(run):
    """Beside all the hostile ones, do the solution, the untouched and the partial submission earn what
    they should?"""
    grades = run.grades()
    for student in ("solution", "zz-honest"):
        assert grades[student]["check-classify"] == (8, 8)
        assert grades[student]["check-rewrite"] == (3, 3)
    assert grades["untouched"]["check-classify"] == (0, 8)
    assert grades["partial"]["check-classify"] == (5, 8)


@pytest.mark.parametrize(
    "student",
    [
        "patcher",
        "key-reader",
        "solution-reader",
        "gradebook-writer",
        "lingerer",
        "disk-filler",
        "fork-bomb",
        "peeker",
        "crasher",
        "memory-hog",
    ],
)
def test_hostile_submission_earns_nothing(run, student):
    """Does the submission earn no automatic point, with a grade recorded (not an error for the run)?"""
    grades = run.grades()[student]
    assert grades["check-classify"] == (0, 8), run.output(student, "check-classify")
    assert grades["check-rewrite"] == (0, 3)
    assert (run.root / "autograded" / student / NAME / f"{NAME}.ipynb").exists()


def test_the_run_reports_no_error_and_no_database_trouble(run):
    """Does one run grade every submission, with no 'error processing' and no 'nbgrader db upgrade'?"""
    assert "error processing" not in run.log
    assert "db upgrade" not in run.log


def test_patched_checks_change_nothing(run):
    """Does the grader ignore what a patched TaskCheck or print claims, and still show the real verdicts?"""
    text = run.output("patcher", "check-classify")
    assert "8.0" not in text and ("q1: not answered yet" in text or text.startswith("Not checked"))


def test_key_and_solutions_are_out_of_sight(run):
    """Inside the sandbox: no key in coachkit.grading.answer_keys, no solutions/, no other submission?"""
    assert "no key here" in run.output("key-reader", ANSWER)
    assert "has no attribute 'ASSIGNMENTS'" in run.output("key-reader", ANSWER)
    assert "found []" in run.output("solution-reader", ANSWER)
    assert "found []" in run.output("peeker", ANSWER)


def test_the_gradebook_cannot_be_written(run):
    """Could the submission open the gradebook? (It is not even in view.)"""
    text = run.output("gradebook-writer", ANSWER)
    assert "wrote" not in text and text.count("refused") == 2


def test_no_process_outlives_grading(run):
    """Is the process the lingerer left behind gone, and the gradebook as the run left it?"""
    assert probes_alive(run.root) == []
    with sqlite3.connect(run.root / "gradebook.db") as db:
        scores = dict(db.execute("select id, auto_score from grade where auto_score is not null").fetchall())
    assert scores, "grades are recorded"
    assert run.grades()["untouched"]["check-classify"] == (0, 8)


def test_filling_the_disk_stops_at_the_quota(run):
    """Did the disk filler stop at the sandbox's small /tmp, leaving the course folder untouched?"""
    text = run.output("disk-filler", ANSWER)
    assert "/tmp stopped after" in text
    written = int(text.split("/tmp stopped after ")[1].split()[0])
    assert written <= 68  # 64 MiB
    assert not list(run.root.rglob("fill-*"))


def test_fork_bomb_is_capped(run):
    """Were the forks refused after a few dozen processes?"""
    text = run.output("fork-bomb", ANSWER)
    made = int(text.split("forks ")[1].split()[0])
    assert made < 100 and "refused" in text


def test_a_crashed_kernel_fails_that_submission_with_a_reason(run):
    """Does a kernel that dies leave a plain reason in the notebook (and so in the feedback)?"""
    assert "its kernel ended" in run.output("crasher", ANSWER)
    assert "Not checked" in run.output("crasher", "check-classify")


def test_sandboxed_grading_refuses_without_bubblewrap(tmp_path):
    """With no bwrap on PATH, does autograde refuse, say how to install it, and grade nothing?"""
    shutil.copytree(REPO / "solutions" / NAME, tmp_path / "solutions" / NAME)
    shutil.copy(REPO / "nbgrader_config.py", tmp_path / "nbgrader_config.py")
    folder = tmp_path / "submitted" / "maria" / NAME
    folder.mkdir(parents=True)
    shutil.copy(REPO / "solutions" / NAME / f"{NAME}.ipynb", folder)
    nbgrader(tmp_path, "generate_assignment", NAME, "--force")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("alembic",):
        os.symlink(Path(sys.executable).parent / tool, bin_dir / tool)
    result = nbgrader(tmp_path, "autograde", NAME, env={"PATH": f"{bin_dir}:/nonexistent"})
    log = result.stdout + result.stderr
    assert result.returncode != 0
    assert "apt-get install bubblewrap" in log, log
    assert "COACHKIT_GRADE_UNSANDBOXED" in log
    assert not (tmp_path / "autograded" / "maria").exists()
    # With the facilitator's explicit flag it grades, unsandboxed, and still scores in nbgrader's process.
    env = {"PATH": f"{bin_dir}:/nonexistent", "COACHKIT_GRADE_UNSANDBOXED": "1"}
    result = nbgrader(tmp_path, "autograde", NAME, env=env)
    graded = tmp_path / "autograded" / "maria" / NAME / f"{NAME}.ipynb"
    assert graded.exists(), result.stdout + result.stderr
    assert Run(tmp_path, "", 0).grades()["maria"]["check-classify"] == (8, 8)


RESTART_PROBE = """
import asyncio, json, sys, tempfile
from coachkit.grading.sandbox import SandboxKernelManager

async def main():
    km = SandboxKernelManager(kernel_name="python3")
    await km.start_kernel(cwd=tempfile.mkdtemp())
    first = km._private
    await km.restart_kernel(now=True)
    second = km._private
    await km.shutdown_kernel(now=True)
    print(json.dumps([first.exists(), second != first, second.exists(), km._private is None]))

asyncio.run(main())
"""


@pytest.mark.skipif(bwrap_path() is None, reason="needs bubblewrap")
def test_a_restarted_sandbox_kernel_leaves_no_private_folder_behind():
    """Does a kernel restart remove the old private socket folder, and a shutdown the new one?"""
    result = subprocess.run(
        [sys.executable, "-c", RESTART_PROBE], capture_output=True, text=True, timeout=180, cwd=REPO
    )
    assert result.returncode == 0, result.stderr[-2000:]
    old_exists, renewed, new_exists, forgotten = json.loads(result.stdout.strip().splitlines()[-1])
    assert renewed and not old_exists, "the restart left the old kernel's private folder behind"
    assert not new_exists and forgotten, "the shutdown left the kernel's private folder behind"
