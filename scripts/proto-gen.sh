#!/usr/bin/env bash
# Regenerates proto/gen from the .proto files with buf and the local ts-proto plugin.
# With --check, regenerates into a temporary folder and fails if proto/gen differs.
set -euo pipefail
cd "$(dirname "$0")/.."
buf=node_modules/.bin/buf
"$buf" lint
if [ "${1:-}" = "--check" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  "$buf" generate --template buf.gen.yaml -o "$tmp"
  if ! diff -r "$tmp/proto/gen" proto/gen >/dev/null 2>&1; then
    echo "proto/gen is out of date: run 'npm run proto' and commit the result" >&2
    diff -r "$tmp/proto/gen" proto/gen | head -20 >&2 || true
    exit 1
  fi
  echo "proto/gen is current"
else
  rm -rf proto/gen
  "$buf" generate --template buf.gen.yaml
  echo "generated proto/gen"
fi
