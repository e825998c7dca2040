#!/usr/bin/env bash
# Builds and checks the Vulkan backend (beside the CUDA one, for the speed comparison) on a lent GPU machine. It has
# nvcc, cmake and ninja, but no GoogleTest/nlohmann-json/SQLite headers, no Vulkan headers, no glslc and no Vulkan
# loader. Prepare here, once, in the repo root (all git-excluded, carried with each call: .devdeps .devshared .vkdeps .gl):
#   .devdeps, .devshared: see tools/device-cuda.sh
#   mkdir -p .vkdeps/bin .vkdeps/lib .vkdeps/include && cp /usr/bin/glslc .vkdeps/bin/ &&
#     cp -L /lib/x86_64-linux-gnu/libshaderc.so.1 /lib/x86_64-linux-gnu/libvulkan.so.1 .vkdeps/lib/ &&
#     ln -sf libvulkan.so.1 .vkdeps/lib/libvulkan.so && cp -r /usr/include/vulkan /usr/include/vk_video .vkdeps/include/ &&
#     rm .vkdeps/include/vulkan/*.hpp
#   .gl: the Vulkan loader and GL dispatch debs, as /work/.library/device/README.md says.
# There: bash tools/device-vulkan.sh build info test synth20b vs20b bench ...   Logs go to $OUT.
set -uo pipefail
OUT=${OUT:-/tmp/out}
mkdir -p "$OUT"
B=build-dev-vk
M=/tmp/m20b.gguf
L=/opt/deps/usr/lib/x86_64-linux-gnu
V=$PWD/.vkdeps
export PKG_CONFIG_PATH=$L/pkgconfig:/opt/deps/usr/share/pkgconfig PKG_CONFIG_SYSROOT_DIR=/opt/deps
export LIBRARY_PATH=$L LD_LIBRARY_PATH=$V/lib:$L${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
for f in .gl/*.deb; do dpkg -x "$f" /; done
ldconfig
nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -f $nvidia_icd ] && ! ls /usr/share/vulkan/icd.d/nvidia* /etc/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
  export VK_DRIVER_FILES=$nvidia_icd
fi
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | tee "$OUT/gpu.txt"
for step in "$@"; do
  case "$step" in
    build)
      mkdir -p ../shared && cp -r .devshared/fixtures ../shared/
      mkdir -p /opt/deps && for f in .devdeps/*.deb; do dpkg -x "$f" /opt/deps; done
      cmake -S . -B $B -G Ninja -DCMAKE_BUILD_TYPE=Release -DTALLY_GUI=OFF -DTALLY_VULKAN=ON -DTALLY_CUDA=${CUDA:-ON} \
        -DCMAKE_CUDA_COMPILER=/usr/local/cuda/bin/nvcc -DCMAKE_CUDA_ARCHITECTURES=${ARCH:-90} -DTALLY_BENCH=OFF \
        -DCMAKE_PREFIX_PATH=/opt/deps/usr -DSQLite3_INCLUDE_DIR=/opt/deps/usr/include \
        -DSQLite3_LIBRARY="$L/libsqlite3.a" -DVulkan_INCLUDE_DIR=$V/include -DVulkan_LIBRARY=$V/lib/libvulkan.so \
        -DVulkan_GLSLC_EXECUTABLE=$V/bin/glslc >"$OUT/configure.log" 2>&1 || { tail -20 "$OUT/configure.log"; exit 1; }
      cmake --build $B --target tally-cli test_vulkan -j16 >"$OUT/build.log" 2>&1 ||
        { grep -E "error" "$OUT/build.log" | head -30; exit 1; }
      echo "build ok" ;;
    info) $B/app/tally-cli info ../shared/fixtures/tiny-gptoss/golden/golden.json 2>&1 | tail -2 ;;
    test) (cd $B/tests && ./test_vulkan ${FILTER:+--gtest_filter=$FILTER} 2>&1 | tee "$OUT/test_vulkan.log" |
             grep -E "^\[ vulkan|OK \]|FAILED|PASSED|SKIPPED|Failure|rror" | head -80) ;;
    synth20b) [ -f $M ] || { time $B/app/tally-cli synth --preset 20b --format gguf --out $M 2>&1 | tail -2; } ;;
    vs20b) (cd $B/tests && TALLY_VULKAN_MODEL=$M TALLY_VULKAN_TOKENS=${TOKENS:-256} ./test_vulkan \
              --gtest_filter='VulkanVsCpu.ModelFromEnvironment' 2>&1 | tee -a "$OUT/vs20b.log" |
              grep -E "vulkan vs|OK|FAILED|Failure") ;;
    bench) for be in vulkan cuda; do
             for a in "-p 512 -n 0" "-p 2048 -n 0" "-p 0 -n 128"; do
               echo -n "$be $a: " | tee -a "$OUT/bench.txt"
               timeout ${BENCH_LIMIT:-240} $B/app/tally-cli bench --model $M --backend $be $a --reps ${REPS:-2} 2>&1 |
                 tail -1 | tee -a "$OUT/bench.txt"
             done
           done ;;
    *) echo "unknown step $step" ;;
  esac
done
