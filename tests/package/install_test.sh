#!/usr/bin/env bash
# The built .deb in a fresh Debian 12: debootstrap --variant=minbase bookworm into a folder under the
# build tree, `apt-get install ./echoforge_*.deb` in a chroot, and from there: the diagnostic, eSpeak NG
# speaking, the server's health answer, and backup -> wipe -> restore giving back the same
# characters, history and settings.
#   tests/package/install_test.sh BUILD_DIR        (as root; exit 77 = skipped)
# The minbase root is kept as a tarball in BUILD_DIR/debroot/, and the downloaded packages in
# BUILD_DIR/debroot/apt-archives/, so a second run skips debootstrap and most downloads.
set -euo pipefail
BUILD=$(cd "${1:?usage: install_test.sh BUILD_DIR}" && pwd)
MIRROR=${ECHOFORGE_DEBIAN_MIRROR:-http://deb.debian.org/debian}
[[ $(id -u) -eq 0 ]] || { echo "install test: needs root (debootstrap, chroot); skipped"; exit 77; }
command -v debootstrap >/dev/null || { echo "install test: debootstrap is not installed; skipped"; exit 77; }
command -v cpack >/dev/null || { echo "install test: cpack is missing; skipped"; exit 77; }

step() { echo "== $(date -u +%T) $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. The package, from what is built.
step "cpack"
rm -f "$BUILD"/package/echoforge_*.deb
(cd "$BUILD" && cpack -G DEB -B "$BUILD/package" >/dev/null)
DEB=$(ls "$BUILD"/package/echoforge_*.deb)
dpkg-deb --field "$DEB" Depends | tr ',' '\n' | grep -q libtorch || fail "the package does not depend on libtorch (shlibdeps)"

# 2. A fresh root.
WORK=$BUILD/debroot
ROOT=$WORK/root
BASE=$WORK/bookworm-minbase.tar
cleanup() {
  for m in proc var/cache/apt/archives; do mountpoint -q "$ROOT/$m" && umount -l "$ROOT/$m"; done
  [[ -n "${SERVER_PID:-}" ]] && kill "$SERVER_PID" 2>/dev/null
  # Never remove a root that still has something mounted in it (the kept downloads, the host's /proc).
  for m in proc var/cache/apt/archives; do mountpoint -q "$ROOT/$m" && { echo "cleanup: $ROOT/$m is still mounted; $ROOT kept"; return 0; }; done
  rm -rf "$ROOT"
  return 0
}
trap cleanup EXIT
mkdir -p "$WORK"
cleanup
if [[ ! -f $BASE ]]; then
  step "debootstrap --variant=minbase bookworm ($MIRROR)"
  debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log"; fail "debootstrap"; }
  tar -C "$ROOT" -cf "$BASE.part" . && mv "$BASE.part" "$BASE"
else
  step "fresh root from $BASE"
  mkdir -p "$ROOT" && tar -C "$ROOT" -xf "$BASE"
fi
mount -t proc proc "$ROOT/proc"
mkdir -p "$WORK/apt-archives/partial"
mount --bind "$WORK/apt-archives" "$ROOT/var/cache/apt/archives"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
cp "$DEB" "$ROOT/tmp/"
in_root() { chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

# 3. Install, dependencies from Debian's archive.
step "apt-get install ./$(basename "$DEB")"
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "/tmp/$(basename "$DEB")" \
  >"$WORK/apt.log" 2>&1 || { tail -30 "$WORK/apt.log"; fail "apt-get install"; }
for f in /usr/bin/echoforge /usr/bin/echoforge-cli /usr/share/applications/org.echoforge.EchoForge.desktop \
         /usr/share/metainfo/org.echoforge.EchoForge.metainfo.xml /usr/share/icons/hicolor/256x256/apps/org.echoforge.EchoForge.png \
         /usr/share/man/man1/echoforge-cli.1.gz /usr/share/echoforge/characters/ada/character.json; do
  [[ -e $ROOT$f ]] || fail "$f is not installed"
done

# 4. The CLI: diagnostic, the built-in characters, eSpeak NG speaking.
step "echoforge-cli diagnostic"
in_root echoforge-cli diagnostic --compact >"$WORK/diagnostic.json" || fail "diagnostic"
grep -q '"version"' "$WORK/diagnostic.json" || fail "the diagnostic has no version: $(cat "$WORK/diagnostic.json")"
# The model library is opened on first use (docs/architecture.md): installed, it must open and
# bring libtorch, whose version the report then names.
grep -q '"libtorch":"[0-9]' "$WORK/diagnostic.json" || fail "the installed model library did not open: $(cat "$WORK/diagnostic.json")"
grep -q '"model_library":"/usr/lib/echoforge/libechoforge_torch.so"' "$WORK/diagnostic.json" \
  || fail "the model library is not where it is installed: $(cat "$WORK/diagnostic.json")"
step "echoforge-cli say --engine espeak"
TEXT="Good morning. This is EchoForge speaking from a freshly installed Debian package, to check that everything works."
in_root echoforge-cli say --engine espeak --voice ada --text "$TEXT" -o /root/hello.wav || fail "say"
[[ $(head -c 4 "$ROOT/root/hello.wav") == RIFF ]] || fail "hello.wav is not a WAV file"
(( $(stat -c %s "$ROOT/root/hello.wav") > 100000 )) || fail "hello.wav is too short to hold the sentence"

# 5. The server's health answer.
health() {   # GET /api/health with bash's /dev/tcp: the minimal root has no curl
  in_root bash -c 'exec 3<>/dev/tcp/127.0.0.1/18765 && printf "GET /api/health HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n" >&3 && timeout 10 cat <&3'
}
step "echoforge-server health"
[[ -x $ROOT/usr/bin/echoforge-server ]] || fail "the package has no echoforge-server"
# Not through in_root: a function runs in a subshell when sent to the background, and SIGTERM
# would reach that shell, not the server. chroot and env exec, so $! is the server itself.
chroot "$ROOT" /usr/bin/env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
  echoforge-server --port 18765 >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 120); do grep -q "listening on" "$WORK/server.log" && break; sleep 0.5; done
grep -q "listening on http://127.0.0.1:18765" "$WORK/server.log" || { cat "$WORK/server.log"; fail "the server did not start"; }
health | head -1 | grep -q " 200" || fail "GET /api/health did not answer 200"
# One take over the API (the token the server made at first start), so the history has a job.
TOKEN=$(cat "$ROOT/root/.local/share/echoforge/api-token") || fail "the server made no API token"
api() {   # METHOD PATH [JSON]
  in_root bash -c 'exec 3<>/dev/tcp/127.0.0.1/18765 && printf "%s %s HTTP/1.0\r\nHost: 127.0.0.1:18765\r\nAuthorization: Bearer %s\r\nContent-Type: application/json\r\nContent-Length: %s\r\nConnection: close\r\n\r\n%s" "$0" "$1" "$2" "${#3}" "$3" >&3 && timeout 10 cat <&3' "$1" "$2" "$TOKEN" "${3:-}"
}
api POST /api/generate '{"text": "Kept in the history.", "voice": "ada", "engine": "espeak"}' >"$WORK/generate.txt"
head -1 "$WORK/generate.txt" | grep -q " 202" || { cat "$WORK/generate.txt"; fail "POST /api/generate did not answer 202"; }
TASK=$(grep -o '"id":[0-9]*' "$WORK/generate.txt" | head -1 | cut -d: -f2)
for _ in $(seq 120); do api GET "/api/tasks/$TASK" | grep -q '"state":"done"' && break; sleep 0.5; done
api GET "/api/tasks/$TASK" | grep -q '"state":"done"' || fail "the server's take did not finish"

# 6. Backup, wipe, restore. A cloned character, a setting and the history from step 4 are the data.
step "backup, wipe, restore"
in_root echoforge-cli clone --name "Kept voice" --audio /root/hello.wav --transcript "$TEXT" >/dev/null || fail "clone"
mkdir -p "$ROOT/root/.config/echoforge"
printf '[generation]\ntemperature=0.55\n' >>"$ROOT/root/.config/echoforge/settings.ini"
grep -rqs "Kept voice" "$ROOT/root/.local/share/echoforge/voices" || fail "the cloned voice is not in the XDG data folder"
in_root echoforge-cli voices --json >"$WORK/voices-before.json"
grep -q "Kept voice" "$WORK/voices-before.json" || fail "the cloned voice is not listed"
in_root echoforge-cli backup /root/backup.tar.gz || fail "backup"
if [[ -n "${SERVER_PID:-}" ]]; then
  # The server holds the data folder: a restore is refused with a sentence, nothing changes.
  in_root echoforge-cli restore /root/backup.tar.gz 2>"$WORK/refused.txt" && fail "restore ran while the server held the data folder"
  grep -q "is using the data folder" "$WORK/refused.txt" || fail "unexpected refusal: $(cat "$WORK/refused.txt")"
  kill -TERM "$SERVER_PID"; wait "$SERVER_PID" || fail "the server did not stop cleanly on SIGTERM"
  SERVER_PID=
fi
# The history: the server's jobs (echoforge-cli say writes none); compared file by file, the
# database by its presence (a restore gives back the backup's snapshot of it).
HISTORY=$ROOT/root/.local/share/echoforge/history
history_files() { [[ -d $HISTORY ]] && (cd "$HISTORY" && find . -type f ! -name '*.sqlite*' ! -name '*.lock' -exec sha256sum {} + | sort); true; }
had_db=$([[ -s $HISTORY/history.sqlite ]] && echo yes || echo no)
history_files >"$WORK/history-before.txt"
sha256sum <"$ROOT/root/.config/echoforge/settings.ini" >"$WORK/settings-before.txt"
rm -rf "$ROOT/root/.local/share/echoforge" "$ROOT/root/.config/echoforge"
in_root echoforge-cli voices --json | grep -q "Kept voice" && fail "the wipe left the cloned voice"
in_root echoforge-cli restore /root/backup.tar.gz || fail "restore"
in_root echoforge-cli voices --json >"$WORK/voices-after.json"
cmp -s "$WORK/voices-before.json" "$WORK/voices-after.json" || fail "the characters differ after the restore"
history_files >"$WORK/history-after.txt"
cmp -s "$WORK/history-before.txt" "$WORK/history-after.txt" || fail "the history's files differ after the restore"
[[ $had_db == no || -s $HISTORY/history.sqlite ]] || fail "the history database is missing after the restore"
sha256sum <"$ROOT/root/.config/echoforge/settings.ini" | cmp -s - "$WORK/settings-before.txt" || fail "the settings differ after the restore"
step "all checks passed"
