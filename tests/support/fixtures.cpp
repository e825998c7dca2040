#include "fixtures.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include <unistd.h>

namespace fs = std::filesystem;

namespace tally::testing {

std::string source_dir() { return TALLY_SOURCE_DIR; }
std::string test_data_dir() { return TALLY_TEST_DATA_DIR; }
std::string build_dir() { return TALLY_BUILD_DIR; }
std::string resources_dir() { return TALLY_RESOURCES_DIR; }
std::string cli_path() { return TALLY_CLI_PATH; }

std::string shared_dir() {
  const char* env = std::getenv("TALLY_SHARED_DIR");
  fs::path p = env && *env ? fs::path(env) : fs::path(TALLY_SHARED_DIR);
  if (fs::exists(p / "fixtures")) return p.string();
  return {};
}

std::string tiny_fixture_dir() {
  static std::once_flag once;
  static std::string result;
  std::call_once(once, [] {
    const std::string shared = shared_dir();
    if (shared.empty()) return;
    fs::path dest = fs::path(build_dir()) / "fixtures";
    if (!fs::exists(dest / "tiny-gptoss" / "tiny-gptoss-f16.gguf")) {
      // Unpack beside and rename into place: test processes run in parallel and must never see half a file.
      fs::path tmp = dest / ("unpack-" + std::to_string(::getpid()));
      fs::create_directories(tmp);
      std::string cmd = "tar -xJf '" + shared + "/fixtures/tiny-gptoss/tiny-gptoss.tar.xz' -C '" + tmp.string() + "'";
      if (std::system(cmd.c_str()) != 0) return;
      std::error_code ec;
      fs::rename(tmp / "tiny-gptoss", dest / "tiny-gptoss", ec);
      fs::remove_all(tmp, ec);
      if (!fs::exists(dest / "tiny-gptoss" / "tiny-gptoss-f16.gguf")) return;
    }
    result = (dest / "tiny-gptoss").string();
  });
  return result;
}

namespace {
// Runs `tally-cli synth` into a temporary path and renames it into place, so parallel test processes never see a
// half-written model.
std::string synthesize_once(const std::string& name, const std::string& format) {
  fs::path dest = fs::path(build_dir()) / "fixtures" / name;
  if (fs::exists(dest)) return dest.string();
  fs::create_directories(dest.parent_path());
  fs::path tmp = dest.parent_path() / (name + ".tmp-" + std::to_string(::getpid()));
  std::string cmd = "'" + cli_path() + "' synth --preset tiny --format " + format + " --out '" + tmp.string() +
                    "' > /dev/null 2>&1";
  if (std::system(cmd.c_str()) != 0) return {};
  std::error_code ec;
  fs::rename(tmp, dest, ec);
  if (ec) fs::remove_all(tmp, ec);
  return fs::exists(dest) ? dest.string() : std::string();
}
}  // namespace

std::string tiny_fixture_gguf() {
  const std::string dir = tiny_fixture_dir();
  return dir.empty() ? dir : dir + "/tiny-gptoss-f16.gguf";
}

std::string tiny_hf_dir() {
  static std::once_flag once;
  static std::string result;
  std::call_once(once, [] { result = synthesize_once("tiny-hf", "hf"); });
  return result;
}

std::string tiny_synth_gguf() {
  static std::once_flag once;
  static std::string result;
  std::call_once(once, [] { result = synthesize_once("tiny-synth.gguf", "gguf"); });
  return result;
}

std::string scratch_dir(const std::string& name) {
  // ctest runs each test case as its own process, several at once: the pid keeps their folders apart.
  fs::path p = fs::path(build_dir()) / "test-scratch" / (name + "-" + std::to_string(::getpid()));
  std::error_code ec;
  fs::remove_all(p, ec);
  fs::create_directories(p);
  return p.string();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace tally::testing
