# Every command that writes a file creates a new temporary file exclusively (mkstemp) and renames
# it into place: a symlink planted at the old temporary name OUT.tmp, or at the pattern's own
# name OUT.XXXXXX, is never followed (its target stays untouched), a symlink at OUT is replaced
# rather than written through, modes are 0600 for keys and the umask's otherwise, and a failed
# rename leaves no temporary file.
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null
make_fw "$T/fw.bin" 1000
"$BLEOTA" image sign --key "$T/k.pem" --version 1.0.0.0 "$T/fw.bin" -o "$T/fw.signed" >/dev/null
echo "victim: must never change" >"$T/victim.orig"

# check NAME ARGS...: run bleota ARGS -o $T/NAME with symlinks planted at NAME.tmp and
# NAME.XXXXXX (to the victim), then at NAME itself (with $REPLACE: keygen needs --force).
check() {
    local name=$1 out="$T/$1"
    shift
    cp "$T/victim.orig" "$T/victim"
    rm -f "$out" "$out".*
    ln -s "$T/victim" "$out.tmp"
    ln -s "$T/victim" "$out.XXXXXX"
    run_bleota "$T/r" "$@" -o "$out"
    [ "$RC" = 0 ] || fail "$name: exit $RC: $(cat "$T/r.err")"
    cmp -s "$T/victim" "$T/victim.orig" || fail "$name: a symlink at the temporary name was followed"
    [ -f "$out" ] && [ ! -L "$out" ] || fail "$name: output is not a regular file"
    [ -L "$out.tmp" ] && [ -L "$out.XXXXXX" ] || fail "$name: a planted symlink was removed or replaced"
    [ "$(ls "$out".* | wc -l)" = 2 ] || fail "$name: temporary file left behind: $(ls "$out".*)"
    cp "$out" "$T/want"
    rm -f "$out" "$out".*
    ln -s "$T/victim" "$out"
    run_bleota "$T/r" "$@" $REPLACE -o "$out"
    [ "$RC" = 0 ] || fail "$name over a symlink: exit $RC: $(cat "$T/r.err")"
    cmp -s "$T/victim" "$T/victim.orig" || fail "$name: the symlink at OUT was written through"
    [ -f "$out" ] && [ ! -L "$out" ] || fail "$name: the symlink at OUT was not replaced"
}
REPLACE=
check signed.bin image sign --key "$T/k.pem" --version 1.0.0.0 "$T/fw.bin"
cmp -s <(tail -c +513 "$T/signed.bin") <(tail -c +513 "$T/want") || fail "image sign: output differs"
check plain.ota image ota "$T/fw.signed"
cmp -s "$T/plain.ota" "$T/want" || fail "image ota: output differs"
check pub.pem pubkey "$T/k.pem" --format pem
cmp -s "$T/pub.pem" "$T/want" || fail "pubkey: output differs"
REPLACE=--force
check new.pem keygen
ok "sign, ota, pubkey, keygen: planted symlinks not followed, OUT replaced not written through"

# Modes: keys 0600 whatever the umask; other outputs 0666 less the umask.
for um in 022 077 002; do
    rm -f "$T/m.bin" "$T/m.pem"
    (umask $um && "$BLEOTA" image ota "$T/fw.signed" -o "$T/m.bin" >/dev/null &&
        "$BLEOTA" keygen -o "$T/m.pem" >/dev/null) || fail "umask $um: write failed"
    [ "$(stat -c %a "$T/m.bin")" = "$(printf '%o' $((0666 & ~0$um)))" ] ||
        fail "umask $um: output mode $(stat -c %a "$T/m.bin")"
    [ "$(stat -c %a "$T/m.pem")" = 600 ] || fail "umask $um: key mode $(stat -c %a "$T/m.pem")"
done
ok "modes: 0600 keys, umask elsewhere"

# A rename that fails (OUT is a directory) leaves no temporary file and the directory as it was.
mkdir "$T/isdir"
N=0
OUT="$T/unused"
refused 2 "$T/isdir" "cannot rename into place" -- image ota "$T/fw.signed" -o "$T/isdir"
[ -z "$(ls -A "$T/isdir")" ] && [ -z "$(ls -d "$T"/isdir.* 2>/dev/null)" ] || fail "temporary file left behind"
ok "failed rename cleans up"
finish
