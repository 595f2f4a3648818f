"""Make nbgrader's gradebook ready before anyone grades, and grade what was submitted: `make grade`.

On a fresh course folder (a new clone, or a facilitator's first day on the hub) nbgrader's gradebook is empty,
and autograde stops with "No assignment with ID 'a01-questions' exists in the database" until someone has
pressed Generate. ``prepare`` records every assignment of solutions/ in the gradebook (by generating it, which
is also what writes exercises/: the same files, as a test checks) and gives every learner a name for the
formgrader (their hub name, or the full name the system account holds), instead of "None, None".

    python -m coachkit.grading.gradebook prepare      # the gradebook knows the assignments and the learners
    python -m coachkit.grading.gradebook grade [A..]  # prepare, then autograde every submission in submitted/

Run in the course folder (the repository, or ~/course on the hub). One process for all assignments: the
hub runs ``prepare`` as a facilitator's server starts, so it must be quick.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

LEARNERS_VARIABLE = "COACHKIT_LEARNERS"  # the hub's learners (names, not secrets), set for facilitators
STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass
class Prepared:
    generated: list[str] = field(default_factory=list)  # assignments newly recorded in the gradebook
    updated: list[str] = field(default_factory=list)  # recorded before its test cells changed
    known: list[str] = field(default_factory=list)  # already there
    students: list[str] = field(default_factory=list)  # learners given a name
    problems: list[str] = field(default_factory=list)


@contextlib.contextmanager
def _in_course(course: Path):
    """nbgrader reads nbgrader_config.py from the working folder and runs `alembic` from PATH."""
    before, path = Path.cwd(), os.environ.get("PATH", "")
    os.chdir(course)
    os.environ["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), path])
    try:
        yield
    finally:
        os.chdir(before)
        os.environ["PATH"] = path


def _api():
    from nbgrader.apps import NbGraderAPI
    from nbgrader.apps.nbgraderapp import NbGrader

    app = NbGrader()
    app.load_config_file()  # the course's nbgrader_config.py and the Jupyter config path's
    return NbGraderAPI(config=app.config)


def assignment_names(course: Path) -> list[str]:
    source = course / "solutions"
    if not source.is_dir():
        return []
    return sorted(p.name for p in source.iterdir() if p.is_dir() and (p / f"{p.name}.ipynb").exists())


def learner_ids(course: Path, environ=os.environ) -> list[str]:
    """The hub's learners ($COACHKIT_LEARNERS) and everyone with a folder in submitted/."""
    ids = {n.strip() for n in environ.get(LEARNERS_VARIABLE, "").split(",") if n.strip()}
    submitted = course / "submitted"
    if submitted.is_dir():
        ids |= {p.name for p in submitted.iterdir() if p.is_dir()}
    return sorted(i for i in ids if STUDENT_ID.match(i))


def display_name(student_id: str) -> tuple[str, str]:
    """(first, last) for the formgrader: the system account's full name when it has one, else the id."""
    try:
        import pwd

        full = pwd.getpwnam(student_id).pw_gecos.split(",")[0].strip()
    except (ImportError, KeyError):
        full = ""
    if full and full != student_id:
        first, _, last = full.rpartition(" ")
        return (first or last, last if first else "")
    return ("", student_id)  # shown as "learner1, " (last name first) rather than "None, None"


def _tests_changed(gb, notebooks: list[Path], name: str) -> bool:
    """Do the test cells the gradebook ``gb`` holds for ``name`` differ from its solutions' test cells?

    Autograde runs the gradebook's copy of each test cell, not the notebook's: a gradebook recorded before a
    test cell changed (an upgrade of coachkit that moved the answer key, say) would grade with the old one."""
    import nbformat
    from nbgrader.api import MissingEntry

    for path in notebooks:
        for cell in nbformat.read(path, as_version=4).cells:
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if not meta.get("grade") or meta.get("solution") or "grade_id" not in meta:
                continue
            try:
                kept = gb.find_source_cell(meta["grade_id"], path.stem, name).source
            except MissingEntry:
                return True
            if kept != cell.source:
                return True
    return False


def prepare(course: Path, environ=os.environ) -> Prepared:
    """Record every assignment and every known learner in the course's gradebook (nothing already there
    is changed: a name the facilitator typed in the formgrader stays)."""
    from nbgrader.api import Gradebook, MissingEntry

    done = Prepared()
    course = course.resolve()
    with _in_course(course):
        api = _api()
        names = assignment_names(course)
        notebooks = {name: sorted((course / "solutions" / name).glob("*.ipynb")) for name in names}
        with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
            present = {a.name: {n.name for n in a.notebooks} for a in gb.assignments}
            recorded = {n for n in names if n in present and {p.stem for p in notebooks[n]} <= present[n]}
            stale = {n for n in recorded if _tests_changed(gb, notebooks[n], n)}
        for name in names:
            if name in recorded and name not in stale:
                done.known.append(name)
                continue
            result = api.generate_assignment(name, force=True, create=True)
            if result["success"]:
                (done.updated if name in stale else done.generated).append(name)
            else:
                done.problems.append(f"{name}: {result.get('error', result.get('log', ''))[-400:]}")
        with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
            for student in learner_ids(course, environ):
                try:
                    existing = gb.find_student(student)
                    if existing.first_name is not None or existing.last_name is not None:
                        continue
                except MissingEntry:
                    pass
                first, last = display_name(student)
                gb.update_or_create_student(student, first_name=first, last_name=last)
                done.students.append(student)
    return done


def grade(course: Path, names: list[str] | None = None, environ=os.environ) -> dict[str, list[str]]:
    """Prepare, then autograde every submission in submitted/ (of ``names``, or of every assignment).

    Returns, per assignment, the students whose submission was graded now."""
    prepared = prepare(course, environ)
    if prepared.problems:
        raise RuntimeError("the gradebook could not be prepared:\n" + "\n".join(prepared.problems))
    course = course.resolve()
    graded: dict[str, list[str]] = {}
    with _in_course(course):
        api = _api()
        for name in names or assignment_names(course):
            students = sorted(p.parent.name for p in (course / "submitted").glob(f"*/{name}") if p.is_dir())
            graded[name] = []
            for student in students:
                result = api.autograde(name, student, force=True, create=True)
                if result["success"]:
                    graded[name].append(student)
                else:
                    print(
                        f"{name} for {student}: not graded\n{result.get('error', '')[-800:]}", file=sys.stderr
                    )
    return graded


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    course = Path(os.environ.get("COACHKIT_COURSE_ROOT") or Path.cwd())
    if argv[:1] == ["prepare"] and len(argv) == 1:
        done = prepare(course)
        for name in done.generated:
            print(f"{name}: now in the gradebook")
        for name in done.updated:
            print(f"{name}: its test cells changed since it was recorded; the gradebook holds the new ones")
        if done.known:
            print(f"already in the gradebook: {', '.join(done.known)}")
        if done.students:
            print(f"learners named in the gradebook: {', '.join(done.students)}")
        for problem in done.problems:
            print(problem, file=sys.stderr)
        return 1 if done.problems else 0
    if argv[:1] == ["grade"]:
        graded = grade(course, argv[1:] or None)
        for name, students in graded.items():
            print(f"{name}: {len(students)} graded" + (f" ({', '.join(students)})" if students else ""))
        print("Next: grade the reflective answers by hand in the formgrader, then release feedback.")
        return 0
    print("usage: python -m coachkit.grading.gradebook prepare | grade [assignment ...]", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
