#!/bin/sh
# Fetches Debian's mbedTLS 2.28 source (same version as the host's libmbedtls-dev) into DIR
# (default build/_deps) once, and links DIR/mbedtls to it. Enables deb-src lines when missing.
set -eu
dir=${1:-build/_deps}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ -f "$dir/mbedtls/include/mbedtls/version.h" ] && exit 0

if ! apt-get source --print-uris mbedtls >/dev/null 2>&1 </dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "bleota: deb-src lines are missing; as root add them and run apt-get update" >&2
        exit 1
    fi
    cat > /etc/apt/sources.list.d/bleota-debian-src.sources <<'X'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
X
    apt-get update -qq </dev/null >/dev/null
fi
cd "$dir"
rm -rf src-tmp && mkdir src-tmp && cd src-tmp
# Pin the source to the version of the host library so host and target run the same code.
ver=$(dpkg-query -W -f='${Version}' libmbedtls-dev 2>/dev/null || true)
if [ -n "$ver" ]; then
    apt-get source -qq "mbedtls=$ver" </dev/null >/dev/null 2>&1 || apt-get source -qq mbedtls </dev/null >/dev/null
else
    apt-get source -qq mbedtls </dev/null >/dev/null
fi
src=$(find . -maxdepth 1 -type d -name 'mbedtls-2.28*' | head -n 1)
[ -n "$src" ] || { echo "bleota: apt-get source mbedtls gave no 2.28 tree" >&2; exit 1; }
cd "$dir"
rm -rf mbedtls-src && mv "src-tmp/$src" mbedtls-src && rm -rf src-tmp
ln -sfn mbedtls-src mbedtls
echo "bleota: mbedTLS source ready in $dir/mbedtls ($(basename "$src"))" >&2
