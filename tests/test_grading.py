"""coachkit.grading: the exercises' nbgrader settings, tested without running nbgrader (the slow tests do)."""

import nbformat
from traitlets.config import Config

from coachkit.grading import LimitOutputSize, configure_grading


def code_cell_with(*outputs):
    cell = nbformat.v4.new_code_cell("print('x')")
    cell.outputs = [nbformat.from_dict(o) for o in outputs]
    return cell


def test_long_outputs_are_cut_with_a_note():
    """Are a huge stream, a huge text result and a huge traceback line cut to the limit, saying so?"""
    cut = LimitOutputSize(max_chars=1000)
    cell = code_cell_with(
        {"output_type": "stream", "name": "stdout", "text": "x" * 50_000},
        {
            "output_type": "execute_result",
            "execution_count": 1,
            "metadata": {},
            "data": {"text/plain": "y" * 5000},
        },
        {"output_type": "error", "ename": "E", "evalue": "z" * 3000, "traceback": ["t" * 3000]},
    )
    cell, _ = cut.preprocess_cell(cell, {}, 0)
    stream, result, error = cell.outputs
    assert stream.text.startswith("x" * 1000) and "49,000 more characters" in stream.text
    assert len(result.data["text/plain"]) < 1200
    assert len(error.traceback[0]) < 1200 and len(error.evalue) < 1200


def test_small_outputs_and_partial_credit_are_untouched():
    """Is a short output, such as the points a test cell returns, left exactly as it was?"""
    cell = code_cell_with(
        {"output_type": "execute_result", "execution_count": 1, "metadata": {}, "data": {"text/plain": "4.0"}}
    )
    cell, _ = LimitOutputSize().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].data == {"text/plain": "4.0"}


def test_oversized_image_is_dropped_with_a_note():
    """Is a huge image replaced by a short note rather than kept in the notebook?"""
    cell = code_cell_with(
        {"output_type": "display_data", "metadata": {}, "data": {"image/png": "A" * 200_000}},
    )
    cell, _ = LimitOutputSize().preprocess_cell(cell, {}, 0)
    assert cell.outputs[0].data == {"text/plain": "(an output too large to keep was removed)"}


def test_configure_grading_sets_the_three_settings():
    """Does configure_grading restore deleted cells, add the size limit and hide hidden tests in feedback?"""
    c = Config()
    configure_grading(c)
    assert c.OverwriteCells.add_missing_cells is True
    assert LimitOutputSize in c.Autograde.autograde_preprocessors
    assert "ClearHiddenTests" in [p.__name__ for p in c.GenerateFeedback.preprocessors]
