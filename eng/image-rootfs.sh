#!/usr/bin/env bash
# Shared by agent-image.sh and controller-image.sh: a minimal root filesystem around a published
# Harbor program and an image FROM scratch, built without pulling anything (this machine cannot reach
# Docker Hub or mcr.microsoft.com). Source it after prerequisites.sh.

# harbor_image_prepare NAME [--tag TAG] [--output DIR] : reads the arguments and sets what the image
# scripts share: tag (default harbor/NAME:<version>), output (default artifacts/NAME-image, absolute),
# rootfs and app (emptied), version, revision, epoch (the commit's time, so two builds of one commit
# produce the same layer) and started.
harbor_image_prepare() {
  local name="$1"; shift
  tag=""
  output="artifacts/$name-image"
  while [ $# -gt 0 ]; do
    case "$1" in
      --tag) tag="$2"; shift 2 ;;
      --output) output="$2"; shift 2 ;;
      *) echo "usage: $0 [--tag harbor/$name:VERSION] [--output DIR]" >&2; exit 2 ;;
    esac
  done
  started=$(date +%s)
  version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -n 1)"
  [ -n "$version" ] || { harbor_log "no <Version> in Directory.Build.props"; exit 1; }
  tag="${tag:-harbor/$name:$version}"
  revision="$(git rev-parse HEAD 2>/dev/null || echo unknown)"
  epoch="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
  mkdir -p "$output"
  output="$(cd "$output" && pwd)"
  rootfs="$output/rootfs"
  app="$rootfs/app"
  rm -rf "$rootfs" "$output/rootfs.tar" "$output/Dockerfile"
  mkdir -p "$app"
}

# harbor_rootfs_libraries ROOTFS ELF... : copies the native libraries the ELF files link against
# (resolved with ldd from this machine's glibc), plus OpenSSL, which .NET's crypto shim loads with
# dlopen (TLS), and writes a loader cache so dlopen finds them. No ICU: Harbor uses invariant globalization.
harbor_rootfs_libraries() {
  local rootfs="$1"; shift
  local ssl libraries library
  ssl="$(ldconfig -p | awk '/libssl\.so\.3 .*x86-64/ {print $NF; exit}')"
  [ -n "$ssl" ] || { harbor_log "libssl.so.3 not found (apt-get install libssl3)"; return 1; }
  libraries="$( { for elf in "$@" "$ssl"; do ldd "$elf"; done; echo "$ssl"; } \
    | awk '/not found/ {print "MISSING " $1; next} $2 == "=>" && $3 ~ /^\// {print $3; next} $1 ~ /^\// {print $1}' | sort -u)"
  if grep -q '^MISSING' <<<"$libraries"; then
    harbor_log "libraries the program needs are missing on this machine: $(grep '^MISSING' <<<"$libraries" | tr '\n' ' ')"
    return 1
  fi
  for library in $libraries; do
    mkdir -p "$rootfs$(dirname "$library")"
    cp -L "$library" "$rootfs$library"
  done
  mkdir -p "$rootfs/etc"
  printf "%s\n" $libraries | xargs -n 1 dirname | sort -u >"$rootfs/etc/ld.so.conf"
  ldconfig -r "$rootfs"
}

# harbor_rootfs_base ROOTFS DESCRIPTION STATE_DIR : users (root, uid 10001 "harbor" owning STATE_DIR,
# nobody), name resolution through files then DNS, CA certificates for HTTPS (registries, exporters,
# webhooks), /tmp and the state directory.
harbor_rootfs_base() {
  local rootfs="$1" description="$2" state="$3"
  mkdir -p "$rootfs/etc"
  cat >"$rootfs/etc/passwd" <<EOF
root:x:0:0:root:/root:/sbin/nologin
harbor:x:10001:10001:$description:$state:/sbin/nologin
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
  mkdir -p "$rootfs/tmp" "$rootfs/root" "$rootfs$state"
  chmod 1777 "$rootfs/tmp"
  chmod 0700 "$rootfs/root"
  chmod 0750 "$rootfs$state"
}

# harbor_rootfs_tar ROOTFS TAR STATE_DIR EPOCH : the root filesystem as one reproducible tar (files get
# EPOCH as their time), owned by root except STATE_DIR, owned by the harbor user. The tar sets the
# owners itself, so building needs no root.
harbor_rootfs_tar() {
  local rootfs="$1" tar="$2" state="$3" epoch="$4"
  local options=(--sort=name --mtime="@$epoch" --numeric-owner --format=posix --pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime)
  tar -C "$rootfs" "${options[@]}" --owner=0 --group=0 --exclude=".$state" -cf "$tar" .
  tar -C "$rootfs" "${options[@]}" --owner=10001 --group=10001 -rf "$tar" ".$state"
}

# harbor_image_labels ROLE TITLE DESCRIPTION : the Dockerfile's LABEL line: the OCI image labels (version,
# commit, its time) and harbor.role=ROLE with harbor.enable=false, so Harbor never updates its own parts.
harbor_image_labels() {
  printf 'LABEL org.opencontainers.image.title="%s" \\\n' "$2"
  printf '      org.opencontainers.image.description="%s" \\\n' "$3"
  printf '      org.opencontainers.image.version="%s" \\\n' "$version"
  printf '      org.opencontainers.image.revision="%s" \\\n' "$revision"
  printf '      org.opencontainers.image.created="%s" \\\n' "$(date -u -d "@$epoch" +%Y-%m-%dT%H:%M:%SZ)"
  printf '      harbor.role="%s" \\\n' "$1"
  printf '      harbor.enable="false"\n'
}

# harbor_image_build : builds $output/Dockerfile (which ADDs rootfs.tar) as $tag, sending only the tar
# and the Dockerfile as context; logs time and size and prints the image id.
harbor_image_build() {
  local id size
  harbor_log "building $tag"
  (cd "$output" && printf 'rootfs\nbuild\n' >.dockerignore && docker build -q -t "$tag" . >/dev/null)
  id="$(docker image inspect --format '{{.Id}}' "$tag")"
  size="$(docker image inspect --format '{{.Size}}' "$tag")"
  harbor_log "built $tag in $(( $(date +%s) - started )) s: $(( size / 1024 / 1024 )) MiB"
  echo "$id"
}
