#!/usr/bin/env bash
# Builds the controller container image without pulling anything: publishes Harbor.Controller
# self-contained for linux-x64 (the .NET and ASP.NET Core runtimes from NuGet's runtime packs, no SDK in
# the image), puts it on a minimal root filesystem with exactly the native libraries it loads (resolved
# with ldd from this machine's glibc, libstdc++ and OpenSSL), and builds the image FROM scratch. Needs the
# .NET SDK, NuGet, ldd and a Docker engine.
#
#   eng/controller-image.sh [--tag harbor/controller:VERSION] [--output DIR]
#
# Prints the image id on the last line. Run it (README "Run the controller container"):
#   docker run -d --name harbor -p 8480:8480 -p 8481:8481 -v harbor-data:/var/lib/harbor harbor/controller:VERSION
set -euo pipefail
cd "$(dirname "$0")/.."
. eng/prerequisites.sh
. eng/image-rootfs.sh

harbor_image_prepare controller "$@"

harbor_log "publishing Harbor.Controller $version (self-contained, linux-x64)"
# --artifacts-path keeps this build's obj/bin apart from the developer's (a RID-specific restore would
# otherwise rewrite the projects' obj/project.assets.json under a running IDE or test build).
# Not ReadyToRun: measured, it raised the controller's memory by 7 MiB (docs/benchmarks.md).
dotnet publish Harbor.Controller/Harbor.Controller.csproj -c Release -r linux-x64 --self-contained \
  --artifacts-path "$output/build" -o "$app" -nologo -clp:ErrorsOnly \
  -p:DebugType=none >&2

# Not needed at run time: symbols, IDE files, development settings, and the LTTng tracing provider (the
# runtime loads it only when liblttng-ust is installed, which a container does not have).
rm -f "$app"/*.pdb "$app"/*.dbg "$app"/Harbor.*.xml "$app"/appsettings.Development.json "$app"/libcoreclrtraceptprovider.so

# Native libraries: what the runtime's own libraries (and SQLite's) link against, plus OpenSSL (TLS).
harbor_rootfs_libraries "$rootfs" "$app/Harbor.Controller" $(find "$app" -name '*.so' -type f)
# Runs as uid 10001 "harbor": the controller needs no root, only its data directory.
harbor_rootfs_base "$rootfs" "Harbor controller" /var/lib/harbor
# Where deploy/compose.yaml mounts the volume it shares with the local agent (LocalAgentTokenFile): a volume
# mounted on a directory of the image starts with that directory's owner, so the controller can write there.
mkdir -p "$rootfs/var/lib/harbor/local-agent"
chmod 0750 "$rootfs/var/lib/harbor/local-agent"
harbor_rootfs_tar "$rootfs" "$output/rootfs.tar" /var/lib/harbor "$epoch"

# The web UI/API and the agent hub listen on every interface of the container; only the ports the user
# publishes are reachable. The agent hub serves TLS with the controller's own CA (agents pin it).
cat >"$output/Dockerfile" <<EOF
FROM scratch
ADD rootfs.tar /
ENV Harbor__Controller__DataDirectory=/var/lib/harbor \\
    ASPNETCORE_HTTP_PORTS=8480 \\
    Harbor__Controller__Agents__ListenUrl=https://+:8481 \\
    DOTNET_RUNNING_IN_CONTAINER=true \\
    Logging__Console__FormatterName=simple \\
    Logging__Console__FormatterOptions__SingleLine=true
VOLUME ["/var/lib/harbor"]
EXPOSE 8480 8481
USER 10001:10001
WORKDIR /app
ENTRYPOINT ["/app/Harbor.Controller"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 CMD ["/app/Harbor.Controller", "health"]
$(harbor_image_labels controller "Harbor controller" "Harbor's controller: policy, update history, users, the web UI and API; agents connect to it.")
EOF

harbor_image_build
