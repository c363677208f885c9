# `keygen -o KEY.pem` refuses to replace an existing file (a lost signing key cannot sign for
# the devices that trust it) unless --force; the refusal names --force and leaves the file as
# it was. A dangling symlink counts as existing (its target is never created).
set -e
. "$BO_SOURCE_DIR/tests/cli/lib.sh"

"$BLEOTA" keygen -o "$T/k.pem" >/dev/null || fail "first keygen"
cp "$T/k.pem" "$T/k.orig"
N=0
OUT="$T/unused"
refused 2 "$T/k.pem: already exists" "--force" -- keygen -o "$T/k.pem"
cmp -s "$T/k.pem" "$T/k.orig" || fail "refused keygen changed the key"
compgen -G "$T/k.pem.*" >/dev/null && fail "temporary file left behind"

ln -s "$T/target.pem" "$T/link.pem"
refused 2 "$T/link.pem: already exists" "--force" -- keygen -o "$T/link.pem"
[ ! -e "$T/target.pem" ] || fail "keygen created a dangling symlink's target"
ok "existing file and dangling symlink refused, --force named, nothing changed"

run_bleota "$T/f" keygen -o "$T/k.pem" --force
[ "$RC" = 0 ] || fail "--force: exit $RC: $(cat "$T/f.err")"
cmp -s "$T/k.pem" "$T/k.orig" && fail "--force did not write a new key"
[ "$(stat -c %a "$T/k.pem")" = 600 ] || fail "--force: mode $(stat -c %a "$T/k.pem")"
"$BLEOTA" pubkey "$T/k.pem" >/dev/null || fail "--force: new key does not load"
run_bleota "$T/f" keygen --force -o "$T/link.pem"
[ "$RC" = 0 ] && [ -f "$T/link.pem" ] && [ ! -L "$T/link.pem" ] && [ ! -e "$T/target.pem" ] ||
    fail "--force over a symlink: the link must be replaced, its target untouched"
ok "--force replaces (mode 0600), a symlink itself rather than its target"

"$BLEOTA" keygen --help | grep -q -- "--force" || fail "keygen --help does not list --force"
finish
