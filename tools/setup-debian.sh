#!/usr/bin/env bash
# Installs everything Tally needs to build, test and run on Debian 12, by package name. Idempotent: does nothing
# when every package is already there. Run as root (or with sudo available).
set -euo pipefail
PACKAGES=(
  build-essential cmake ninja-build pkg-config clang libclang-rt-14-dev
  qt6-base-dev qt6-svg-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools libqcustomplot-dev libqcustomplot2.1-qt6
  libgtest-dev libgmock-dev libbenchmark-dev libsqlite3-dev nlohmann-json3-dev
  libvulkan-dev glslc mesa-vulkan-drivers vulkan-tools
  fonts-noto-cjk xvfb xauth imagemagick python3 xz-utils
  dpkg-dev debootstrap nsis
  libzip-dev libexpat1-dev libxlsxwriter-dev libfreexl-dev python3-openpyxl
)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
