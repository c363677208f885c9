#!/bin/sh
# Microchip's reference files (tests/fixtures/manifest.txt), fetched at their pinned commits.
#   scripts/fetch-fixtures.sh [--dest DIR] [SET...]  download SET (mchp, harmony; default both)
#       into DIR (default build/fixtures): DIR/mchp/..., DIR/harmony/...; files already there
#       with the right sha256 are kept. Each file goes to a temporary file, is checked against
#       the manifest's sha256 and only then renamed into place: a file that differs is refused
#       (the error names it and both hashes) and nothing half-written stays behind.
#   scripts/fetch-fixtures.sh --check SET DIR        does DIR hold every file of SET, each with
#       the manifest's sha256? Lists what is missing or different; exit 1 if anything is.
#   scripts/fetch-fixtures.sh --auto BUILD_DIR      what `make test` runs: for each set the build
#       reads from the cache (BUILD_DIR/fixtures.dirs, written by cmake/fixtures.cmake), fetch it
#       when incomplete. Never fails: without the files, ctest fixtures_available says what to do.
# BO_FIXTURES_URL: download base (default https://raw.githubusercontent.com); a file is fetched
# from BASE/OWNER/REPO/COMMIT/PATH. A mirror works offline: file:///dir or a plain /dir laid out
# like the remote. BO_FIXTURES_MANIFEST: another manifest (tests).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
manifest=${BO_FIXTURES_MANIFEST:-$root/tests/fixtures/manifest.txt}
base=${BO_FIXTURES_URL:-https://raw.githubusercontent.com}
base=${base%/}
me=fetch-fixtures

die() { echo "$me: $*" >&2; exit 2; }
[ -f "$manifest" ] || die "no manifest at $manifest"

# entries SET: "DEST SHA256 OWNER/REPO COMMIT PATH" lines of SET (DEST keeps its SET/ prefix)
entries() {
    grep -v '^[[:space:]]*#' "$manifest" | awk -v s="$1/" 'NF >= 5 && index($1, s) == 1 { print $1, $2, $3, $4, $5 }'
}
sha_of() { sha256sum "$1" | cut -d' ' -f1; }

# check SET DIR: prints one line per missing or different file (named relative to DIR); status 1 if any
check() {
    set_=$1 dir=$2 bad=0
    [ -n "$(entries "$set_")" ] || die "no files of set '$set_' in $manifest"
    while read -r dest sha repo commit path; do
        rel=${dest#"$set_"/} f=$dir/${dest#"$set_"/}
        if [ ! -f "$f" ]; then
            echo "missing: $rel"; bad=1
        elif [ "$(sha_of "$f")" != "$sha" ]; then
            echo "different: $rel (sha256 $(sha_of "$f"), manifest $sha)"; bad=1
        fi
    done <<EOF
$(entries "$set_")
EOF
    return $bad
}

# download URL OUT: status 0 and OUT written, or an error text on stdout
download() {
    case $1 in
        file://*) cp "${1#file://}" "$2" 2>&1 ;;
        http://*|https://*)
            if command -v curl >/dev/null 2>&1; then
                curl -fsS --connect-timeout 10 --max-time 300 --retry 2 -o "$2" "$1" 2>&1
            elif command -v wget >/dev/null 2>&1; then
                wget -q --timeout=10 --tries=3 -O "$2" "$1" 2>&1 || { echo "wget failed"; return 1; }
            else
                echo "neither curl nor wget is installed (sh scripts/deps.sh installs curl)"; return 1
            fi ;;
        *) cp "$1" "$2" 2>&1 ;;
    esac
}

tmp=""
trap '[ -z "$tmp" ] || rm -f "$tmp"' EXIT
trap 'exit 130' INT TERM

# fetch SET DEST_ROOT: status 1 if any file could not be had
fetch() {
    set_=$1 droot=$2 failed=0 got=0 kept=0
    [ -n "$(entries "$set_")" ] || die "no files of set '$set_' in $manifest"
    while read -r dest sha repo commit path; do
        out=$droot/$dest
        if [ -f "$out" ] && [ "$(sha_of "$out")" = "$sha" ]; then kept=$((kept + 1)); continue; fi
        url=$base/$repo/$commit/$path
        mkdir -p "$(dirname "$out")"
        tmp=$(mktemp "$(dirname "$out")/.fetch.XXXXXX")
        if ! err=$(download "$url" "$tmp"); then
            echo "$me: $dest: download failed from $url: $(echo "$err" | head -n 1)" >&2
            failed=$((failed + 1))
        elif [ "$(sha_of "$tmp")" != "$sha" ]; then
            echo "$me: $dest: sha256 differs, refused: manifest $sha, downloaded $(sha_of "$tmp") ($url)" >&2
            failed=$((failed + 1))
        else
            chmod 644 "$tmp" && mv -f "$tmp" "$out" && got=$((got + 1))
        fi
        rm -f "$tmp"; tmp=""
    done <<EOF
$(entries "$set_")
EOF
    echo "$me: $set_: $got fetched, $kept already there, $failed failed ($droot/$set_, from $base)" >&2
    [ "$failed" -eq 0 ]
}

case ${1:-} in
    --check)
        [ $# -eq 3 ] || die "usage: $0 --check SET DIR"
        check "$2" "$3"; exit 0 ;;
    --auto)
        [ $# -eq 2 ] || die "usage: $0 --auto BUILD_DIR"
        dirs=$2/fixtures.dirs
        [ -f "$dirs" ] || { echo "$me: no $dirs (configure the build first): nothing fetched" >&2; exit 0; }
        # lines: SET DIR SOURCE (SOURCE: given, shared or cache; only the cache is ours to fill)
        while read -r set_ dir src; do
            [ "$src" = cache ] || continue
            check "$set_" "$dir" >/dev/null && continue
            echo "$me: $set_ reference files not found (no BO_FIXTURES_DIR, no ../shared/fixtures): fetching" >&2
            fetch "$set_" "$(dirname "$dir")" ||
                echo "$me: $set_: not all files could be fetched; the tests that read them will fail (ctest fixtures_available says how to provide them)" >&2
        done <"$dirs"
        exit 0 ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
esac

into=$root/build/fixtures
if [ "${1:-}" = --dest ]; then
    [ $# -ge 2 ] || die "usage: $0 [--dest DIR] [SET...]"
    into=$2; shift 2
fi
[ $# -gt 0 ] || set -- mchp harmony
rc=0
for s in "$@"; do
    fetch "$s" "$into" || rc=1
done
exit $rc
