#!/usr/bin/env bash
# Builds the agent container image without pulling anything: publishes Harbor.Agent with NativeAOT for
# linux-x64 (one native executable, no .NET runtime), puts it on a minimal root filesystem with exactly
# the native libraries it loads (resolved with ldd from this machine's glibc and OpenSSL), and builds the
# image FROM scratch. Needs the .NET SDK, NuGet (the ILCompiler package), clang and zlib1g-dev (installed
# here when missing), ldd and a Docker engine.
#
#   eng/agent-image.sh [--tag harbor/agent:VERSION] [--output DIR]
#
# Prints the image id on the last line. Harbor.Agent/Dockerfile is the conventional alternative for
# machines that can pull mcr.microsoft.com.
set -euo pipefail
cd "$(dirname "$0")/.."
. eng/prerequisites.sh
. eng/image-rootfs.sh

harbor_image_prepare agent "$@"

harbor_install_packages clang zlib1g-dev
harbor_log "publishing Harbor.Agent $version (NativeAOT, linux-x64)"
# --artifacts-path keeps this build's obj/bin apart from the developer's (a RID-specific restore would
# otherwise rewrite the projects' obj/project.assets.json under a running IDE or test build).
# PublishAot is set in Harbor.Agent.csproj; DebugType=none leaves out the separate symbol file (Harbor.Agent.dbg).
dotnet publish Harbor.Agent/Harbor.Agent.csproj -c Release -r linux-x64 \
  --artifacts-path "$output/build" -o "$app" -nologo -clp:ErrorsOnly \
  -p:DebugType=none >&2

# Not needed at run time: files for IDEs and symbols.
rm -f "$app"/*.dbg "$app"/*.pdb "$app"/Harbor.*.xml "$app"/*.staticwebassets.endpoints.json

# Native libraries: what the executable links against (glibc), plus OpenSSL (TLS to the controller).
harbor_rootfs_libraries "$rootfs" "$app/Harbor.Agent"
# root for the Docker socket by default; uid 10001 "harbor" for --user 10001:<docker gid>.
harbor_rootfs_base "$rootfs" "Harbor agent" /var/lib/harbor-agent
harbor_rootfs_tar "$rootfs" "$output/rootfs.tar" /var/lib/harbor-agent "$epoch"

cat >"$output/Dockerfile" <<EOF
FROM scratch
ADD rootfs.tar /
ENV Harbor__Agent__StateDirectory=/var/lib/harbor-agent \\
    DOTNET_RUNNING_IN_CONTAINER=true \\
    Logging__Console__FormatterName=simple \\
    Logging__Console__FormatterOptions__SingleLine=true
VOLUME ["/var/lib/harbor-agent"]
WORKDIR /app
ENTRYPOINT ["/app/Harbor.Agent"]
HEALTHCHECK --interval=30s --timeout=10s --start-period=20s --retries=3 CMD ["/app/Harbor.Agent", "health"]
$(harbor_image_labels agent "Harbor agent" "Reports a Docker host's containers to the Harbor controller and runs its updates.")
EOF

harbor_image_build
