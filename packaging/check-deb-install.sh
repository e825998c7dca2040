#!/usr/bin/env bash
# Checks that the .deb installs and runs on a clean Debian 12: builds it with cpack in BUILD_DIR, makes a minimal
# Debian 12 root with debootstrap, installs the package there with apt (which must find every dependency from the
# package's own Depends), then inside that root runs `tally-cli info` and `generate` on the tiny test model and the
# desktop app's offscreen smoke test (window opens with the bundled sample dataset). Prints each step's time.
# Needs root, debootstrap and the Debian mirror; exits 77 (ctest: skipped) without them.
set -euo pipefail
BUILD=$(cd "${1:?usage: check-deb-install.sh BUILD_DIR}" && pwd)
MIRROR=${TALLY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ "$(id -u)" -ne 0 ]; then echo "SKIP: needs root for debootstrap and chroot"; exit 77; fi
if ! command -v debootstrap >/dev/null; then echo "SKIP: debootstrap is not installed"; exit 77; fi
host=$(echo "$MIRROR" | sed -E 's#^[a-z]+://([^/:]+).*#\1#')
if ! timeout 20 bash -c "exec 3<>/dev/tcp/$host/80" 2>/dev/null; then
  echo "SKIP: the Debian mirror $MIRROR cannot be reached"; exit 77
fi

t0=$(date +%s)
step() { echo "== [$(( $(date +%s) - t0 )) s] $*"; }

WORK=$BUILD/packaging-check
ROOT=$WORK/root
mkdir -p "$WORK"
cleanup() {
  umount "$ROOT/proc" 2>/dev/null || true
  umount "$ROOT/dev" 2>/dev/null || true
}
trap cleanup EXIT

step "cpack -G DEB"
(cd "$BUILD" && cpack -G DEB -B "$WORK/pkg" >/dev/null)
DEB=$(ls "$WORK"/pkg/tally_*.deb | head -1)
echo "package: $DEB ($(du -h "$DEB" | cut -f1))"
dpkg-deb -I "$DEB" | sed -n '/Depends/p'

step "debootstrap bookworm (minbase) into $ROOT"
if [ ! -x "$ROOT/usr/bin/apt-get" ]; then
  rm -rf "$ROOT"
  debootstrap --variant=minbase bookworm "$ROOT" "$MIRROR" >"$WORK/debootstrap.log" 2>&1 ||
    { tail -20 "$WORK/debootstrap.log"; echo "debootstrap failed"; exit 1; }
fi
mount -t proc proc "$ROOT/proc" 2>/dev/null || echo "note: /proc not mounted in the root; resources found via TALLY_RESOURCES_DIR"
mount --bind /dev "$ROOT/dev" 2>/dev/null || true

step "apt install ./$(basename "$DEB") in the clean root"
cp "$DEB" "$ROOT/tmp/tally.deb"
chroot "$ROOT" apt-get update -qq
DEBIAN_FRONTEND=noninteractive chroot "$ROOT" apt-get install -y -qq --no-install-recommends /tmp/tally.deb \
  >"$WORK/apt.log" 2>&1 || { tail -30 "$WORK/apt.log"; echo "apt could not install the package"; exit 1; }
chroot "$ROOT" dpkg -L tally | grep -E "bin/tally|share/tally/tokenizer|applications|metainfo|man1"

RUN=(chroot "$ROOT" env HOME=/tmp/home XDG_DATA_HOME=/tmp/home/data QT_QPA_PLATFORM=offscreen)
[ -r "$ROOT/proc/self/exe" ] || RUN+=(TALLY_RESOURCES_DIR=/usr/share/tally)
mkdir -p "$ROOT/tmp/home"

step "tally-cli synth + info + generate on the tiny model inside the root"
"${RUN[@]}" tally-cli synth --preset tiny --format gguf --out /tmp/tiny.gguf
"${RUN[@]}" tally-cli info /tmp/tiny.gguf
"${RUN[@]}" tally-cli generate --model /tmp/tiny.gguf --prompt "지역별 매출을 요약해 주세요" -n 8 --seed 1

step "tally-cli import of the installed sample"
"${RUN[@]}" tally-cli import /usr/share/tally/samples/sales_monthly.csv --db /tmp/home/store.db
"${RUN[@]}" tally-cli datasets --db /tmp/home/store.db

step "desktop app offscreen smoke test"
"${RUN[@]}" tally --profile /tmp/home/profile --smoke-test

step "done: the .deb installed and ran in a clean Debian 12 root"
