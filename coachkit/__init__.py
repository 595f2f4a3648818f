"""coachkit: the widgets, models and web app of a Jupyter workshop on coaching your direct reports.

Importing the package is deliberately cheap: submodules are imported where they are used, so a lesson
that needs one widget does not pay for the others (see the benchmarks).
"""

__version__ = "0.1.0"


def _route_logging() -> None:
    # In the shared web app the workshop's log lines go to the server's log, never to the visitor's page.
    from coachkit import serverlog

    if serverlog.wanted():
        serverlog.route_to_server_log()


_route_logging()
