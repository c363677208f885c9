#!/bin/sh
# Fetches Debian's BearSSL 0.6 source (same version as the host's libbearssl-dev) into DIR
# (default build/_deps) once, as DIR/bearssl: the target's SHA-256 and ECDSA P-256 verify
# (docs/crypto.md).
set -eu
exec sh "$(dirname "$0")/fetch-src.sh" "${1:-build/_deps}" bearssl libbearssl-dev bearssl-0.6 bearssl
