"""nbgrader settings the workshop's grading needs beyond nbgrader's defaults, applied by nbgrader_config.py.

nbgrader_config.py calls ``configure_grading(c)``. Each setting answers a failure a facilitator would
otherwise meet (tests/test_exercises_grading.py shows each one):

- a learner deletes a locked test cell: nbgrader would silently leave that test ungraded; it is put back;
- a cell prints one enormous line: nbgrader's LimitOutput caps lines, not characters, so a 50 MB line would
  land in the autograded notebook and the feedback page; it is cut to a readable size;
- feedback: nbgrader shows hidden tests in feedback by design (jupyter/nbgrader#917); they are stripped;
- a submission's code could patch the checks, read the key or the gradebook, or outlive its notebook: each
  notebook runs in the grading sandbox (coachkit.grading.sandbox, ``SandboxedExecute``), its test cells only
  hand the answers over as data, and ``ScoreAnswers`` decides the points here, in the grader's process, with
  the key;
- a kernel that dies (out of memory, too many processes) fails that notebook's remaining checks with a plain
  reason instead of stopping the learner's whole grade.
"""

from __future__ import annotations

import re
import sys

import nbformat
from nbclient.exceptions import DeadKernelError
from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    Execute,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    SaveAutoGrades,
)
from traitlets import Integer

from coachkit.grading.graded_report import read_report
from coachkit.grading.sandbox import (
    INSTALL_HINT,
    SandboxKernelManager,
    bwrap_path,
    sandbox_problem,
    unsandboxed_allowed,
)

TRUNCATED = "\n... output cut: {removed:,} more characters (the grader keeps at most {limit:,}) ...\n"


class LimitOutputSize(NbGraderPreprocessor):
    """Cut every text output of a cell to at most ``max_chars`` characters and drop oversized images."""

    max_chars = Integer(100_000, help="the most characters of text kept from one output").tag(config=True)

    def _cut(self, text: str) -> str:
        if len(text) <= self.max_chars:
            return text
        note = TRUNCATED.format(removed=len(text) - self.max_chars, limit=self.max_chars)
        return text[: self.max_chars] + note

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        for output in cell.outputs:
            if output.output_type == "stream":
                output.text = self._cut(output.text)
            elif output.output_type == "error":
                output.traceback = [self._cut(line) for line in output.traceback[-200:]]
                output.evalue = self._cut(output.evalue)
            elif "data" in output:
                for mime, value in list(output.data.items()):
                    if isinstance(value, str) and len(value) > self.max_chars:
                        if mime.startswith("text/"):
                            output.data[mime] = self._cut(value)
                        else:
                            del output.data[mime]
                if not output.data:
                    output.data["text/plain"] = "(an output too large to keep was removed)"
        return cell, resources


TEST_CALL = re.compile(r'TaskCheck\(\s*"([\w-]+)"\s*,\s*"(\w+)"\s*\)')
KERNEL_DIED = (
    "The notebook stopped here: its kernel ended (it may have used more memory or processes than the "
    "grader allows, or crashed). The cells after this one were not run, and their checks earn nothing."
)
NOT_CHECKED = (
    "Not checked: no answers reached the grader from this cell ({reason}). This check earns nothing."
)


class SandboxedExecute(Execute):
    """nbgrader's Execute with each kernel in the grading sandbox, and a dead kernel a plain failure."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("kernel_manager_class", SandboxKernelManager)
        super().__init__(*args, **kwargs)

    def start_new_kernel_client(self):
        client = super().start_new_kernel_client()
        if isinstance(self.km, SandboxKernelManager):
            self.km.lock_private_folder()  # the kernel is ready: its sockets exist
        return client

    def preprocess(self, nb, resources=None, km=None):
        self._kernel_died = False
        return super().preprocess(nb, resources, km=km)

    def preprocess_cell(self, cell, resources, index):
        if self._kernel_died:
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self._kernel_died = True
            self.log.warning("the kernel died in cell %s: the rest of the notebook is not run", index)
            error = {
                "output_type": "error",
                "ename": "KernelDied",
                "evalue": KERNEL_DIED,
                "traceback": [KERNEL_DIED],
            }
            cell.outputs.append(nbformat.from_dict(error))
            return cell, resources


class ScoreAnswers(NbGraderPreprocessor):
    """Decide each test cell's points here, with the key, from the answers the cell handed over as data.

    Runs in nbgrader's own process after the notebook ran. Whatever the learner's kernel printed or returned
    in a test cell is replaced: by the verdicts and the points when a readable block of answers came back
    (coachkit.grading.graded_report), by a plain reason and 0 points when none did.
    """

    def preprocess_cell(self, cell, resources, index):
        grading = cell.metadata.get("nbgrader", {})
        if cell.cell_type != "code" or not grading.get("grade") or grading.get("solution"):
            return cell, resources
        match = TEST_CALL.search(cell.source)  # the source is the instructor's (nbgrader restored it)
        if match is None or "against_key" not in cell.source:
            return cell, resources
        from coachkit.grading.answer_keys import score_answers

        printed = "".join(
            o.get("text", "") for o in cell.outputs if o.output_type == "stream" and o.get("name") == "stdout"
        )
        answers = read_report(printed)
        if answers is None:
            text, points = NOT_CHECKED.format(reason=self._reason(cell)) + "\n", 0.0
        else:
            points, results = score_answers(match.group(1), match.group(2), answers)
            text = "".join(("✓ " if r.correct else "✗ ") + r.message + "\n" for r in results)
        cell.outputs = [
            nbformat.from_dict({"output_type": "stream", "name": "stdout", "text": text}),
            nbformat.from_dict(
                {
                    "output_type": "execute_result",
                    "execution_count": cell.get("execution_count"),
                    "metadata": {},
                    "data": {"text/plain": repr(float(points))},
                }
            ),
        ]
        return cell, resources

    @staticmethod
    def _reason(cell) -> str:
        errors = [o.get("ename", "") for o in cell.outputs if o.output_type == "error"]
        if "CellTimeoutError" in errors:
            return "it ran out of time"
        if "KernelDied" in errors or cell.get("execution_count") is None:
            return "the notebook stopped before it ran"
        if errors:
            return f"it stopped with an error, {errors[-1]}"
        return "nothing came back"


def refuse_autograde_without_sandbox(argv: list[str] | None = None) -> None:
    """`nbgrader autograde` with no usable bwrap (missing, or unable to make its namespaces) and no
    COACHKIT_GRADE_UNSANDBOXED=1: say how to install it or allow user namespaces; stop."""
    argv = sys.argv if argv is None else argv
    # `nbgrader autograde ...`, or `python -m coachkit.grading.gradebook grade` (make grade), which autogrades
    # too
    grading = argv[1:2] == ["autograde"] or (
        argv[:1] and argv[0].endswith("gradebook.py") and argv[1:2] == ["grade"]
    )
    if not grading or unsandboxed_allowed():
        return
    problem = INSTALL_HINT if bwrap_path() is None else sandbox_problem()
    if problem is not None:
        print(f"nbgrader autograde: {problem}", file=sys.stderr)
        raise SystemExit(2)


def configure_grading(c) -> None:
    """Apply the workshop's grading settings to an nbgrader config object ``c``."""
    refuse_autograde_without_sandbox()
    c.OverwriteCells.add_missing_cells = True
    # nbgrader's own autograde pipeline with LimitOutputSize after LimitOutput: order matters, grades are
    # saved from the trimmed outputs, and a trimmed stream never changes a grade (errors and results decide).
    c.Autograde.autograde_preprocessors = [
        SandboxedExecute,
        ScoreAnswers,
        IgnorePattern,
        ClearMetadataPreprocessor,
        LimitOutput,
        LimitOutputSize,
        SaveAutoGrades,
        AssignLatePenalties,
        CheckCellMetadata,
    ]
    # GetGrades first (it reads the cells as graded), then hide the hidden tests' code, then style the page.
    c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
