#!/usr/bin/env bash
# Runs the benchmarks on the real Docker engine: ./eng/bench.sh [name ...] (no name = all).
set -euo pipefail
cd "$(dirname "$0")/.."
. eng/prerequisites.sh

harbor_install_packages docker.io docker-registry busybox-static apache2-utils
harbor_ensure_docker
dotnet build Harbor.sln -c Release -nologo -clp:ErrorsOnly >/dev/null
exec dotnet bench/Harbor.Bench/bin/Release/net10.0/Harbor.Bench.dll "$@"
