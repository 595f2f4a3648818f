"""Which paths a visitor of the shared web app may reach."""

import pytest

from coachkit.webapp.lockdown import is_public


@pytest.mark.parametrize(
    "path",
    [
        "",
        "lessons",
        "lessons/00-start-here.ipynb",
        "/lessons/02-x.ipynb",
        "assets/scenarios/a.json",
        "assets/img/x.png",
    ],
)
def test_public_paths(path):
    """Are the lessons, the assets and the root listing reachable?"""
    assert is_public(path)


@pytest.mark.parametrize(
    "path",
    [
        "solutions/a01-questions/a01-questions.ipynb",
        "exercises/a01/a01.ipynb",
        "nbgrader_config.py",
        "voila.json",
        ".git/config",
        "lessons/../solutions/x.ipynb",
        "lessons/./00.ipynb",
        "lessons//00.ipynb",
        "lessons/.ipynb_checkpoints/00-checkpoint.ipynb",
        "assets/.secret",
        "../etc/passwd",
        "gradebook.db",
        "coachkit/paths.py",
    ],
)
def test_private_paths(path):
    """Are solutions, config files, dot-files and parent references refused?"""
    assert not is_public(path)
