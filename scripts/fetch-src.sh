#!/bin/sh
# fetch-src.sh DIR SOURCE-PACKAGE HOST-PACKAGE TREE-PREFIX LINK: fetches a Debian source package
# into DIR once (pinned to the version of HOST-PACKAGE when it is installed, so host and target
# run the same code) and links DIR/LINK to the unpacked tree (TREE-PREFIX*). Enables deb-src
# lines when missing. Used by fetch-mbedtls.sh and fetch-bearssl.sh.
set -eu
dir=$1 pkg=$2 hostpkg=$3 prefix=$4 link=$5
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
[ -d "$dir/$link/" ] && [ -n "$(ls "$dir/$link/" 2>/dev/null)" ] && exit 0

if ! apt-get source --print-uris "$pkg" >/dev/null 2>&1 </dev/null; then
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
rm -rf "src-tmp-$link" && mkdir "src-tmp-$link" && cd "src-tmp-$link"
ver=$(dpkg-query -W -f='${Version}' "$hostpkg" 2>/dev/null || true)
if [ -n "$ver" ]; then
    apt-get source -qq "$pkg=$ver" </dev/null >/dev/null 2>&1 || apt-get source -qq "$pkg" </dev/null >/dev/null
else
    apt-get source -qq "$pkg" </dev/null >/dev/null
fi
src=$(find . -maxdepth 1 -type d -name "$prefix*" | head -n 1)
[ -n "$src" ] || { echo "bleota: apt-get source $pkg gave no $prefix* tree" >&2; exit 1; }
cd "$dir"
rm -rf "$link-src" && mv "src-tmp-$link/$src" "$link-src" && rm -rf "src-tmp-$link"
ln -sfn "$link-src" "$link"
echo "bleota: $pkg source ready in $dir/$link ($(basename "$src"))" >&2
