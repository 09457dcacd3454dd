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

tag=""
output="artifacts/agent-image"
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    *) echo "usage: $0 [--tag harbor/agent:VERSION] [--output DIR]" >&2; exit 2 ;;
  esac
done

version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)"
[ -n "$version" ] || { harbor_log "no <Version> in Directory.Build.props"; exit 1; }
tag="${tag:-harbor/agent:$version}"
revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
# Files get the commit's time, so two builds of one commit produce the same layer.
epoch="$(git log -1 --format=%ct 2>/dev/null || date +%s)"

mkdir -p "$output"
output="$(cd "$output" && pwd)"
rootfs="$output/rootfs"
app="$rootfs/app"
rm -rf "$rootfs" "$output/rootfs.tar" "$output/Dockerfile"
mkdir -p "$app"

started=$(date +%s)
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

# Native libraries: what the executable links against (glibc), plus OpenSSL, which the crypto shim loads
# with dlopen (TLS to the controller). No ICU: the agent uses invariant globalization.
ssl="$(ldconfig -p | awk '/libssl\.so\.3 .*x86-64/ {print $NF; exit}')"
[ -n "$ssl" ] || { harbor_log "libssl.so.3 not found (apt-get install libssl3)"; exit 1; }
libraries="$( { for elf in "$app"/Harbor.Agent "$ssl"; do ldd "$elf"; done; echo "$ssl"; } \
  | awk '/not found/ {print "MISSING " $1; next} $2 == "=>" && $3 ~ /^\// {print $3; next} $1 ~ /^\// {print $1}' | sort -u)"
if grep -q '^MISSING' <<<"$libraries"; then
  harbor_log "libraries the runtime needs are missing on this machine: $(grep '^MISSING' <<<"$libraries" | tr '\n' ' ')"
  exit 1
fi
for library in $libraries; do
  mkdir -p "$rootfs$(dirname "$library")"
  cp -L "$library" "$rootfs$library"
done
# A cache for the loader, so dlopen("libssl.so.3") finds it wherever this distribution keeps it.
mkdir -p "$rootfs/etc"
printf "%s\n" $libraries | xargs -n 1 dirname | sort -u >"$rootfs/etc/ld.so.conf"
ldconfig -r "$rootfs"

# Users (root for the Docker socket by default; uid 10001 "harbor" for --user 10001:<docker gid>),
# name resolution through files then DNS, CA certificates for HTTPS telemetry exporters, /tmp.
cat >"$rootfs/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/sbin/nologin
harbor:x:10001:10001:Harbor agent:/var/lib/harbor-agent:/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin
EOF
cat >"$rootfs/etc/group" <<'EOF'
root:x:0:
harbor:x:10001:
nogroup:x:65534:
EOF
echo "hosts: files dns" >"$rootfs/etc/nsswitch.conf"
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  mkdir -p "$rootfs/etc/ssl/certs"
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/"
fi
mkdir -p "$rootfs/tmp" "$rootfs/root" "$rootfs/var/lib/harbor-agent"
chmod 1777 "$rootfs/tmp"
chmod 0700 "$rootfs/root"
chmod 0750 "$rootfs/var/lib/harbor-agent"

# The tar sets owners itself (the state directory belongs to the harbor user), so no root is needed here.
tar_options=(--sort=name --mtime="@$epoch" --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
tar -C "$rootfs" "${tar_options[@]}" --owner=0 --group=0 --exclude=./var/lib/harbor-agent -cf "$output/rootfs.tar" .
tar -C "$rootfs" "${tar_options[@]}" --owner=10001 --group=10001 -rf "$output/rootfs.tar" ./var/lib/harbor-agent

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
LABEL org.opencontainers.image.title="Harbor agent" \\
      org.opencontainers.image.description="Reports a Docker host's containers to the Harbor controller and runs its updates." \\
      org.opencontainers.image.version="$version" \\
      org.opencontainers.image.revision="$revision" \\
      org.opencontainers.image.created="$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)" \\
      harbor.role="agent" \\
      harbor.enable="false"
EOF

harbor_log "building $tag"
# Only the tar and the Dockerfile go to the engine as build context.
(cd "$output" && printf 'rootfs\nbuild\n' >.dockerignore && docker build -q -t "$tag" . >/dev/null)
id="$(docker image inspect --format '{{.Id}}' "$tag")"
size="$(docker image inspect --format '{{.Size}}' "$tag")"
harbor_log "built $tag in $(( $(date +%s) - started )) s: $(( size / 1024 / 1024 )) MiB"
echo "$id"
