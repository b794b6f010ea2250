#!/usr/bin/env bash
# Sets up, builds and launches the EchoForge studio. Extra arguments go to the app.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec build/bin/echoforge "$@"
