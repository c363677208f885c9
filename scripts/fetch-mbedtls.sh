#!/bin/sh
# Fetches Debian's mbedTLS 2.28 source (same version as the host's libmbedtls-dev) into DIR
# (default build/_deps) once, as DIR/mbedtls: the target's AES-128-CBC (docs/crypto.md).
set -eu
exec sh "$(dirname "$0")/fetch-src.sh" "${1:-build/_deps}" mbedtls libmbedtls-dev mbedtls-2.28 mbedtls
