"""nbgrader settings the workshop's grading needs beyond nbgrader's defaults, applied by nbgrader_config.py.

nbgrader_config.py calls ``configure_grading(c)``. Each setting answers a failure a facilitator would
otherwise meet (tests/test_exercises_grading.py shows each one):

- a learner deletes a locked test cell: nbgrader would silently leave that test ungraded; it is put back;
- a cell prints one enormous line: nbgrader's LimitOutput caps lines, not characters, so a 50 MB line would
  land in the autograded notebook and the feedback page; it is cut to a readable size;
- feedback: nbgrader shows hidden tests in feedback by design (jupyter/nbgrader#917); they are stripped.
"""

from __future__ import annotations

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


def configure_grading(c) -> None:
    """Apply the workshop's grading settings to an nbgrader config object ``c``."""
    c.OverwriteCells.add_missing_cells = True
    # nbgrader's own autograde pipeline with LimitOutputSize after LimitOutput: order matters, grades are
    # saved from the trimmed outputs, and a trimmed stream never changes a grade (errors and results decide).
    c.Autograde.autograde_preprocessors = [
        Execute,
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
