#!/usr/bin/env bash
# Runs every test: installs dependencies if missing, builds (warnings as errors), runs ctest (unit tests, fuzz
# seeds, golden checks; those needing ../shared skip when it is absent), then builds the libFuzzer targets with
# clang and runs each for a bounded time (ctest label `fuzz`). Ends with ctest's summary.
set -euo pipefail
cd "$(dirname "$0")/.."
bash tools/setup-debian.sh
JOBS=${JOBS:-$(nproc)}
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTALLY_WERROR=ON
cmake --build build -j"$JOBS"
FUZZ_SECONDS=${TALLY_FUZZ_SECONDS:-30}
if command -v clang++ >/dev/null; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DTALLY_FUZZ=ON -DTALLY_FUZZ_SECONDS="$FUZZ_SECONDS" -DTALLY_GUI=OFF \
    -DTALLY_BENCH=OFF -DTALLY_CUDA=OFF -DTALLY_VULKAN=OFF
  fuzzers=$(ctest --test-dir build-fuzz -L fuzz -N | awk '/Test +#/ {print $3}')
  cmake --build build-fuzz -j"$JOBS" --target $fuzzers
  ctest --test-dir build-fuzz -L fuzz --output-on-failure -j"$JOBS"
fi
ctest --test-dir build --output-on-failure -j"$JOBS" --timeout 900
