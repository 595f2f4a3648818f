"""The learners' copy of the workshop: a git repository of lessons/ and exercises/ only, for nbgitpuller.

Hub learners get the lessons with nbgitpuller, the standard one-way sync: their first visit clones this
repository into ``~/workshop``, later visits merge new commits and never overwrite what the learner changed.
The repository holds only what a learner's server needs from the working tree:

- ``lessons/`` (the notebooks; the landing page lists ``~/lessons``, a link to ``~/workshop/lessons``),
- ``exercises/`` (nbgrader's student versions: no solutions, no hidden tests, no rubrics), with a README
  written from ``deploy/learner-exercises-README.md`` (what a learner's server holds, and that the
  self-check's key is readable: practice, not an exam). The repository's own ``exercises/`` stays exactly
  what nbgrader writes.

Nothing else: ``solutions/`` never goes in. What the lessons import at run time (the ``coachkit`` package and
its data in ``assets/``) comes from the installed package (``coachkit.paths``), not from the learner's home.

The hub builds it at start (deploy/jupyterhub_config.py calls :func:`refresh`) as a bare repository under its
state folder, one commit per refresh that changed something. By hand, e.g. after editing a lesson while the
hub runs, or to publish the branch a Zero to JupyterHub deployment pulls (deploy/z2jh-values.yaml):

    .venv/bin/python deploy/learner_repo.py ~/.local/share/coachkit-hub/learner-repo.git   # the hub's own
    .venv/bin/python deploy/learner_repo.py /tmp/learner.git                              # to publish
    git --git-dir=/tmp/learner.git push https://github.com/ORG/coachkit-learner.git main:learner
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, urlencode

FOLDERS = ("lessons", "exercises")
# Files the learners' repository adds, from deploy/ (not from the working tree's folders).
ADDED = {"exercises/README.md": Path(__file__).resolve().parent / "learner-exercises-README.md"}
BRANCH = "main"
CLONE = "workshop"  # nbgitpuller's targetpath: the clone's folder in each home
# What never goes into the learners' repository, even if it sits inside lessons/ or exercises/.
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
AUTHOR = {
    "GIT_AUTHOR_NAME": "coachkit hub",
    "GIT_AUTHOR_EMAIL": "coachkit-hub@localhost",
    "GIT_COMMITTER_NAME": "coachkit hub",
    "GIT_COMMITTER_EMAIL": "coachkit-hub@localhost",
}


def learner_files(source: Path) -> list[str]:
    """The files of the learners' repository, relative to ``source`` (the workshop's working tree)."""
    found = []
    for folder in FOLDERS:
        for path in sorted((source / folder).rglob("*")):
            parts = path.relative_to(source).parts
            if not path.is_file() or any(p.startswith(".") or p in SKIPPED_PARTS for p in parts):
                continue
            found.append("/".join(parts))
    assert not any(name.split("/")[0] == "solutions" for name in found)
    return found


def repository_files(source: Path) -> dict[str, Path]:
    """Every file of the learners' repository: its name there and the file it is read from."""
    files = {name: Path(source) / name for name in learner_files(source)}
    return {**files, **ADDED}


def _git(bare: Path, *args: str, env: dict | None = None, stdin: str | None = None) -> str:
    command = ["git", f"--git-dir={bare}", *args]
    done = subprocess.run(
        command, input=stdin, capture_output=True, text=True, env={**os.environ, **AUTHOR, **(env or {})}
    )
    if done.returncode:
        raise subprocess.CalledProcessError(done.returncode, command, done.stdout, done.stderr.strip())
    return done.stdout.strip()


def refresh(source: Path, bare: Path, message: str = "The workshop's lessons and exercises") -> str:
    """Make ``bare``'s branch hold exactly the learner files of ``source``; commit only when they changed.

    Returns the branch's commit. A learner whose server pulls gets the new commit merged into their clone.
    """
    source, bare = Path(source).resolve(), Path(bare)
    if not (bare / "HEAD").exists():
        bare.parent.mkdir(parents=True, exist_ok=True)
        init = ["git", "init", "--quiet", "--bare", f"--initial-branch={BRANCH}", str(bare)]
        subprocess.run(init, check=True)
    for attempt in range(3):  # a file replaced while we read it (an editor's save) is read again
        chosen = repository_files(source)
        files = sorted(chosen)
        try:
            paths = "\n".join(str(chosen[name]) for name in files)
            blobs = _git(bare, "hash-object", "-w", "--stdin-paths", stdin=paths)
            break
        except subprocess.CalledProcessError:
            if attempt == 2:
                raise
    with tempfile.TemporaryDirectory() as scratch:
        index = {"GIT_INDEX_FILE": str(Path(scratch) / "index")}
        entries = "".join(f"100644 {blob}\t{name}\n" for blob, name in zip(blobs.split(), files, strict=True))
        _git(bare, "update-index", "--add", "--index-info", env=index, stdin=entries)
        tree = _git(bare, "write-tree", env=index)
    try:
        parent = _git(bare, "rev-parse", "--verify", "--quiet", f"refs/heads/{BRANCH}")
    except subprocess.CalledProcessError:
        parent = ""
    if parent and _git(bare, "rev-parse", f"{parent}^{{tree}}") == tree:
        return parent
    commit = _git(bare, "commit-tree", tree, *(["-p", parent] if parent else []), "-m", message)
    _git(bare, "update-ref", f"refs/heads/{BRANCH}", commit, *([parent] if parent else []))
    return commit


def repo_url(bare: Path) -> str:
    """The address a learner's server clones from (file:// so that nbgitpuller's shallow clone works)."""
    return Path(bare).resolve().as_uri()


def pull_link(repo: str, branch: str = BRANCH, urlpath: str = "coachkit/") -> str:
    """nbgitpuller's link (a server's default URL): pull ``repo`` into ~/workshop, then open ``urlpath``."""
    fields = {"repo": repo, "branch": branch, "targetpath": CLONE, "urlpath": urlpath}
    query = urlencode(fields, quote_via=quote)
    return f"/git-pull?{query}"


def link_folders(home: Path) -> list[Path]:
    """``~/lessons`` and ``~/exercises`` as links into the clone, where the landing page and Voila look for
    them (nothing is replaced: a folder a person already has stays theirs). Returns the links made."""
    made = []
    for folder in FOLDERS:
        link = Path(home) / folder
        if not link.exists() and not link.is_symlink():
            link.symlink_to(Path(CLONE) / folder, target_is_directory=True)
            made.append(link)
    return made


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python deploy/learner_repo.py BARE_REPOSITORY_PATH", file=sys.stderr)
        return 2
    source = Path(__file__).resolve().parent.parent
    commit = refresh(source, Path(argv[0]))
    count = len(repository_files(source))
    print(f"{argv[0]}: branch {BRANCH} at {commit[:12]} ({count} files, no solutions/)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
