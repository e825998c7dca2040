#!/usr/bin/env bash
# Builds and checks the CUDA backend on a lent GPU machine (nvcc, cmake and ninja there; no GoogleTest, nlohmann-json
# or SQLite headers). Prepare here, once, in the repo root (both folders git-excluded, carried with each call):
#   mkdir -p .devdeps && (cd .devdeps && apt-get download libgtest-dev libgmock-dev nlohmann-json3-dev libsqlite3-dev \
#     libzip-dev libzip4 libfreexl-dev libfreexl1 libxlsxwriter-dev libxlsxwriter4 libexpat1-dev libexpat1 libminizip1)
#   mkdir -p .devshared && cp -r ../shared/fixtures .devshared/
# There: bash tools/device-cuda.sh build test synth20b vs20b bench ...   Logs go to $OUT.
set -uo pipefail
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
B=build-dev
M=/tmp/m20b.gguf
L=/opt/deps/usr/lib/x86_64-linux-gnu
# data/ (linked by tally-cli) needs libzip, expat, freexl and libxlsxwriter: Debian's, unpacked under /opt/deps.
export PKG_CONFIG_PATH=$L/pkgconfig:/opt/deps/usr/share/pkgconfig PKG_CONFIG_SYSROOT_DIR=/opt/deps
export LIBRARY_PATH=$L LD_LIBRARY_PATH=$L${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$OUT/gpu.txt"
for step in "$@"; do
  case "$step" in
    build)
      mkdir -p ../shared && cp -r .devshared/fixtures ../shared/
      mkdir -p /opt/deps && for f in .devdeps/*.deb; do dpkg -x "$f" /opt/deps; done
      cmake -S . -B $B -G Ninja -DCMAKE_BUILD_TYPE=Release -DTALLY_GUI=OFF -DTALLY_VULKAN=OFF -DTALLY_CUDA=ON \
        -DCMAKE_CUDA_COMPILER=/usr/local/cuda/bin/nvcc -DCMAKE_CUDA_ARCHITECTURES=${ARCH:-90} -DTALLY_BENCH=OFF \
        -DCMAKE_PREFIX_PATH=/opt/deps/usr -DCMAKE_CUDA_FLAGS="${CUDA_FLAGS:-}" -DSQLite3_INCLUDE_DIR=/opt/deps/usr/include \
        -DSQLite3_LIBRARY="$L/libsqlite3.a" >"$OUT/configure.log" 2>&1 || { tail -20 "$OUT/configure.log"; exit 1; }
      cmake --build $B --target tally-cli test_cuda -j16 >"$OUT/build.log" 2>&1 || { grep -E "error" "$OUT/build.log" | head -30; exit 1; }
      echo "build ok" ;;
    info) $B/app/tally-cli info ../shared/fixtures/tiny-gptoss/golden/golden.json 2>&1 | tail -2 ;;
    test) (cd $B/tests && ./test_cuda ${FILTER:+--gtest_filter=$FILTER} 2>&1 | tee "$OUT/test_cuda.log" |
             grep -E "^\[ cuda|OK \]|FAILED|PASSED|SKIPPED|Failure|rror" | head -80) ;;
    sanitize) (cd $B/tests && compute-sanitizer --tool memcheck ./test_cuda \
                 --gtest_filter='TinyFixture/CudaGolden.Prefill*/gguf:TinyFixture/CudaGolden.Decode*/gguf' 2>&1 |
                 tail -25 | tee "$OUT/sanitize.log") ;;
    synth20b) [ -f $M ] || { time $B/app/tally-cli synth --preset 20b --format gguf --out $M 2>&1 | tail -2; } ;;
    # TALLY_CUDA_VARIANTS=prefill:fast,step1,cpufast,... adds reports (tests/cuda); the CPU exact logits are kept in
    # /tmp between runs on the same machine.
    vs20b) (cd $B/tests && TALLY_CUDA_MODEL=$M TALLY_CUDA_TOKENS=${TOKENS:-256} \
              TALLY_CUDA_CPU_CACHE=${CPU_CACHE:-/tmp/cpu_exact_${TOKENS:-256}.bin} ./test_cuda \
              --gtest_filter='CudaVsCpu.ModelFromEnvironment' 2>&1 | tee -a "$OUT/vs20b.log" | grep -E "cuda vs|OK|FAILED|Failure") ;;
    bench) for a in "-p 512 -n 0" "-p 2048 -n 0" "-p 0 -n 128" "-p 0 -n 128 --depth 16384" "-p 0 -n 128 --depth 16384 --kv-f16"; do
             echo "$a: $($B/app/tally-cli bench --model $M --backend cuda $a --reps ${REPS:-3} 2>&1 | tail -1)" | tee -a "$OUT/bench.txt"
           done ;;
    # Per-op GPU time (CUDA events around each op), decode and prefill.
    profile) for a in "-p 0 -n 64" "-p 2048 -n 0"; do
               TALLY_CUDA_PROFILE=1 $B/app/tally-cli bench --model $M --backend cuda $a --reps 1 >>"$OUT/profile.txt" 2>&1
             done; tail -60 "$OUT/profile.txt" ;;
    # Peak GPU memory of a 32k-token context (nvidia-smi sampled every 100 ms).
    mem) $B/app/tally-cli bench --model $M --backend cuda -p 512 -n 16 --depth 32240 --reps 1 ${MEM_ARGS:---kv-f16} >"$OUT/mem.txt" 2>&1 &
         pid=$!; peak=0
         while kill -0 $pid 2>/dev/null; do
           u=$(nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1); [ "$u" -gt "$peak" ] && peak=$u
           sleep 0.1
         done
         echo "peak GPU memory, 32k context: $peak MiB" | tee -a "$OUT/mem.txt" ;;
    *) echo "unknown step $step" ;;
  esac
done
