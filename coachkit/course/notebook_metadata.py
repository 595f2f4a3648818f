"""The notebook metadata JupyterLab writes on open, recorded in the notebooks so they open unchanged.

When JupyterLab opens a notebook and its kernel starts, it copies the kernel's name and language into the
notebook's metadata (``kernelspec`` with the kernel's display name, ``language_info`` as the kernel reports
it, Python's version included). A notebook whose metadata differs is then marked as modified before anyone
typed, and autosave writes its outputs into the tracked file. Recording exactly what this environment's
kernel reports keeps the lessons and exercises clean on open (checked in real JupyterLab by
tests/test_jupyterlab_theme_browser.py). After a Python upgrade, run ``python -m
coachkit.course.notebook_metadata`` again: the hygiene test says so.
"""

from __future__ import annotations

import sys
from pathlib import Path

import nbformat

from coachkit.paths import repo_root

FOLDERS = ("lessons", "solutions", "exercises")


def kernel_metadata() -> dict:
    """``kernelspec`` and ``language_info`` as the python3 kernel of this environment reports them."""
    from ipykernel.ipkernel import IPythonKernel
    from jupyter_client.kernelspec import KernelSpecManager

    spec = KernelSpecManager().get_kernel_spec("python3")
    return {
        "kernelspec": {"display_name": spec.display_name, "language": spec.language, "name": "python3"},
        "language_info": dict(IPythonKernel.language_info),
    }


def normalised(notebook: nbformat.NotebookNode, metadata: dict | None = None) -> bool:
    """Give ``notebook`` the kernel's metadata (other metadata kept); True when something changed."""
    metadata = metadata or kernel_metadata()
    changed = False
    for key, value in metadata.items():
        if notebook.metadata.get(key) != value:
            notebook.metadata[key] = nbformat.from_dict(value)
            changed = True
    return changed


def course_notebooks(root: Path | None = None) -> list[Path]:
    root = root or repo_root()
    return sorted(
        path
        for folder in FOLDERS
        for path in (root / folder).rglob("*.ipynb")
        if ".ipynb_checkpoints" not in path.parts
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    paths = [Path(arg) for arg in argv] or course_notebooks()
    metadata = kernel_metadata()
    for path in paths:
        notebook = nbformat.read(path, as_version=4)
        if normalised(notebook, metadata):
            nbformat.write(notebook, path)
            print(f"{path}: kernel metadata recorded")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
