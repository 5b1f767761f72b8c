#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for the test suite: Debian's Chromium (Playwright drives it;
# no browser download) and pgvector for the installed PostgreSQL server, built from Debian's own source
# package (Debian 12 ships none). Idempotent: each step is skipped when its result is already present.
set -euo pipefail

log() { echo "[install-system] $*"; }

apt_updated=0
apt_update_once() {
  if [[ $apt_updated == 0 ]]; then
    apt-get update -qq
    apt_updated=1
  fi
}

if ! command -v chromium >/dev/null 2>&1; then
  log "installing chromium"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

pg_version=$(ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -n 1)
if [[ -z $pg_version ]]; then
  log "installing postgresql"
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  pg_version=$(ls /usr/lib/postgresql | sort -n | tail -n 1)
fi
pg_config="/usr/lib/postgresql/$pg_version/bin/pg_config"

if [[ ! -f "/usr/share/postgresql/$pg_version/extension/vector.control" ]]; then
  log "building pgvector for PostgreSQL $pg_version from Debian's source package"
  # Debian 12 has no pgvector binary package; trixie's source package builds against any server 13+.
  uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  src_list=/etc/apt/sources.list.d/clearance-pgvector-src.sources
  if [[ ! -f $src_list ]]; then
    printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" >"$src_list"
    apt_updated=0
  fi
  apt_update_once
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "postgresql-server-dev-$pg_version" build-essential >/dev/null
  work=$(mktemp -d)
  (
    cd "$work"
    apt-get source --download-only pgvector >/dev/null 2>&1
    tar xzf pgvector_*.orig.tar.gz
    cd pgvector-*/
    make -s PG_CONFIG="$pg_config" >/dev/null 2>&1
    make -s PG_CONFIG="$pg_config" install >/dev/null
  )
  rm -rf "$work"
  # Keep trixie's sources from leaking into later installs of binary packages.
  rm -f "$src_list"
  apt_updated=0
fi
log "ok: chromium $(chromium --version 2>/dev/null | awk '{print $2}'), postgresql $pg_version with pgvector $(awk -F"'" '/default_version/ {print $2}' /usr/share/postgresql/$pg_version/extension/vector.control)"
