"""The workshop's web app: Voila over lessons/, locked down for visitors, with a landing page."""

from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static"
SHARE_DIR = Path(__file__).parent / "share" / "jupyter"


def _jupyter_server_extension_points():
    """Also load as a Jupyter server extension, so JupyterLab, a hub and Binder get the landing page."""
    return [{"module": "coachkit.webapp.extension"}]
