#!/usr/bin/env bash
# Runs Harbor for development on this machine: the Aspire AppHost starts the controller, one agent
# for the local Docker engine and the Aspire dashboard. Installs/starts Docker when missing (root).
set -euo pipefail
cd "$(dirname "$0")/.."
. eng/prerequisites.sh

harbor_ensure_docker
harbor_log "starting the AppHost: dashboard http://localhost:15080 (login link below), API http://127.0.0.1:8480"
exec dotnet run --project Harbor.AppHost --launch-profile http "$@"
