#!/usr/bin/env bash
# bash scripts/vm-image.sh arm64|x86_64 [--rebuild]
# Builds (or finds in the cache) the VM image of one architecture and prints its folder; progress
# on stderr. The builder is src/lib/engines/vm/image.sh, which the VM engine also runs on demand;
# docs/targets.md describes the image.
exec bash "$(dirname "${BASH_SOURCE[0]}")/../src/lib/engines/vm/image.sh" "$@"
