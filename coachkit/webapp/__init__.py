"""The workshop's web app: Voila over lessons/, locked down for visitors, with a landing page."""

import sys
from pathlib import Path

# jupyter_server#1559: jsonschema imports rfc3987_syntax for its optional "iri" format check, and that
# import builds a grammar that costs over a second of every server start. Nothing here validates IRIs,
# and jsonschema skips that check when the import fails, so this package (imported before Voila by
# coachkit-web) tells Python the module is absent. No installed package is patched.
sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[assignment]

STATIC_DIR = Path(__file__).parent / "static"
SHARE_DIR = Path(__file__).parent / "share" / "jupyter"


def _jupyter_server_extension_points():
    """Also load as a Jupyter server extension, so JupyterLab, a hub and Binder get the landing page."""
    return [{"module": "coachkit.webapp.extension"}]
