# The facilitators' single-user image on a hub: the workshop with solutions/ (nbgrader's sources, hidden tests
# and rubrics) and bubblewrap, which `nbgrader autograde` and the formgrader's autograde button need for the
# grading sandbox (coachkit/grading/sandbox.py; without bwrap, grading refuses). deploy/z2jh-values.yaml gives this
# image to facilitators only (FACILITATOR_IMAGE in its pre_spawn_hook); learners' image has no solutions/
# and does not grade. Build it from the repository's root:
#
#   docker build -f deploy/facilitator.Dockerfile -t CHANGE-ME/coachkit-facilitator:0.1.0 .
#
# The pod runs as jovyan (not root), so bwrap makes a user namespace of its own: the node must allow
# unprivileged user namespaces and the container must be allowed to create them and to mount a fresh /proc
# (docs/grading.md, "On a hub", says which settings). Check from a facilitator's terminal:
#   bwrap --ro-bind / / --unshare-all --proc /proc --dev /dev true && echo ok
FROM quay.io/jupyter/minimal-notebook:python-3.11

USER root
# bubblewrap: the sandbox; util-linux: prlimit (the sandbox's limits) and setpriv (used when grading as root)
RUN apt-get update \
    && apt-get install -y --no-install-recommends bubblewrap util-linux \
    && rm -rf /var/lib/apt/lists/*

COPY --chown=${NB_UID}:${NB_GID} . /srv/coachkit
USER ${NB_UID}
# Every package at its version in requirements.lock (the hub extra brings jupyterhub and nbgitpuller), checked
# against its hashes; then the workshop itself, without dependencies.
RUN pip install --no-cache-dir --require-hashes -r /srv/coachkit/requirements.lock \
    && pip install --no-cache-dir --no-deps -e /srv/coachkit
