#!/usr/bin/env bash
# `make hub`: a local JupyterHub on 127.0.0.1 for trying group sessions (trial mode: one OS account, shared
# passwords, no isolation between users - never for real learners). Ctrl-C stops the hub and every server.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
venv="$repo/.venv"
# The hub's state (learners' homes with their copies of the lessons, the hub's database, passwords) lives
# outside the repository, which the web app serves: the same place deploy/jupyterhub_config.py defaults to.
export COACHKIT_HUB_STATE="${COACHKIT_HUB_STATE:-$HOME/.local/share/coachkit-hub}"
if [ "${1:-}" = "--print-state" ]; then
  echo "$COACHKIT_HUB_STATE"
  exit 0
fi
# 4.x runs on the Node.js that Debian ships (18); 5.x needs Node 20.
chp_version="4.6.3"
chp="$venv/chp/node_modules/.bin/configurable-http-proxy"

if [ ! -x "$venv/bin/jupyterhub" ]; then
  echo "JupyterHub is not installed in $venv: run 'make' first (or pip install jupyterhub==5.5.4)." >&2
  exit 1
fi
if ! command -v git >/dev/null 2>&1; then
  echo "The hub brings the lessons to each server with nbgitpuller, which needs git." >&2
  echo "On Debian or Ubuntu: sudo apt-get install git   then run make hub again." >&2
  exit 1
fi
if [ ! -x "$chp" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "The hub needs configurable-http-proxy from npm, and npm is missing." >&2
    echo "On Debian or Ubuntu: sudo apt-get install nodejs npm   then run make hub again." >&2
    exit 1
  fi
  echo "Installing configurable-http-proxy $chp_version into $venv/chp/ ..."
  npm install --prefix "$venv/chp" --no-audit --no-fund --silent "configurable-http-proxy@$chp_version"
fi

export COACHKIT_HUB_MODE=trial
export COACHKIT_HUB_PORT="${HUB_PORT:-${COACHKIT_HUB_PORT:-8000}}"
export COACHKIT_FACILITATORS="${COACHKIT_FACILITATORS:-facilitator}"
export COACHKIT_LEARNERS="${COACHKIT_LEARNERS:-learner1,learner2,learner3}"
mkdir -p "$COACHKIT_HUB_STATE"
# Passwords are made once and kept in the state folder, so a restart does not change them.
passwords="$COACHKIT_HUB_STATE/passwords.env"
if [ ! -f "$passwords" ]; then
  umask 077
  {
    echo "COACHKIT_HUB_PASSWORD=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(9))')"
    echo "COACHKIT_HUB_ADMIN_PASSWORD=$("$venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(32))')"
  } > "$passwords"
fi
set -a
# shellcheck disable=SC1090
. "$passwords"
set +a

cat <<EOF

  Local workshop hub (trial mode) at http://127.0.0.1:$COACHKIT_HUB_PORT/
  Facilitator(s): $COACHKIT_FACILITATORS   password: $COACHKIT_HUB_ADMIN_PASSWORD
  Learners:       $COACHKIT_LEARNERS   password: $COACHKIT_HUB_PASSWORD
  Lessons in Voila: http://127.0.0.1:$COACHKIT_HUB_PORT/user/NAME/voila/render/lessons/00-start-here.ipynb
  Formgrader (facilitator, in its own tab): http://127.0.0.1:$COACHKIT_HUB_PORT/user/NAME/formgrader
  Group board (facilitators): http://127.0.0.1:$COACHKIT_HUB_PORT/services/coachkit-board/
  Lessons reach each server with nbgitpuller from $COACHKIT_HUB_STATE/learner-repo.git
    (lessons/ and exercises/ as in this folder now, no solutions/; refreshed at every start)
  Servers idle for ${COACHKIT_HUB_CULL_TIMEOUT:-3600} s are stopped (COACHKIT_HUB_CULL_TIMEOUT); nothing in a home is lost.
  State (homes, exchange, board service, passwords): $COACHKIT_HUB_STATE
  Stop with Ctrl-C.

EOF
cd "$COACHKIT_HUB_STATE"
exec "$venv/bin/jupyterhub" -f "$here/jupyterhub_config.py"
