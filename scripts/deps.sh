#!/bin/sh
# Installs the Debian packages bleota needs, if any is missing. As root it runs apt-get;
# otherwise it prints the command to run. Safe to call repeatedly (a no-op when all is there).
set -eu

PKGS="make cmake gcc libc6-dev pkg-config libmbedtls-dev libbearssl-dev libcmocka-dev openssl
gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi qemu-system-arm dpkg-dev
xz-utils ca-certificates python3 curl libdivsufsort-dev bsdiff xdelta3"
[ "${BO_DEPS_EXTRA:-}" ] && PKGS="$PKGS $BO_DEPS_EXTRA"

missing=""
for p in $PKGS; do
    st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
    case "$st" in *"install ok installed"*) ;; *) missing="$missing $p" ;; esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y --no-install-recommends$missing"
if [ "$(id -u)" -ne 0 ]; then
    echo "bleota: missing Debian packages:$missing" >&2
    echo "bleota: run as root:  apt-get update && $cmd" >&2
    exit 1
fi
echo "bleota: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq </dev/null >/dev/null
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing </dev/null >/dev/null
