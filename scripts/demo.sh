#!/usr/bin/env bash
# The main job: a demo catalog in the embedded default instance (SQLite + a local
# storage folder under LAMIN_LAB_HOME, default ~/.config/lamin_lab), made the current
# instance, then JupyterLab on a temporary copy of notebooks/ (the tracked files stay
# untouched; no news toast). LAMIN_LAB_HOME=/tmp/demo-home bash scripts/demo.sh keeps
# the demo out of your own settings.
#
#   bash scripts/demo.sh              open JupyterLab (the URL is printed)
#   bash scripts/demo.sh --headless   execute the workbench notebook instead, and report
#
# Works on a fresh machine: it creates .venv and installs the project first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck source=scripts/test.sh
source scripts/test.sh   # set-up steps only (test.sh runs its tests only when executed)
step_venv
exec "$VPY" -m lamin_lab.cli demo "$@"
