#pragma once
// Where Tally's read-only resources (tokenizer vocabulary, sample data, model templates, translations) are, found at
// run time so an installed package and an unpacked .tar.gz work wherever they are put:
//   1. $TALLY_RESOURCES_DIR, when set;
//   2. <folder of the running executable>/../share/tally (installed layout: bin/ beside share/tally/);
//   3. the source tree's resources/ (a build that has not been installed).
// The first that holds tokenizer/o200k_base.tiktoken wins; "" when none does.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <system_error>

#if defined(_WIN32)
#include <windows.h>
#endif

namespace tally {

inline std::filesystem::path running_executable() {
#if defined(_WIN32)
  wchar_t buf[MAX_PATH];
  const DWORD n = GetModuleFileNameW(nullptr, buf, MAX_PATH);
  return n ? std::filesystem::path(std::wstring(buf, n)) : std::filesystem::path();
#else
  std::error_code ec;
  auto p = std::filesystem::read_symlink("/proc/self/exe", ec);
  return ec ? std::filesystem::path() : p;
#endif
}

inline std::string resources_dir() {
  namespace fs = std::filesystem;
  auto holds_resources = [](const fs::path& dir) {
    std::error_code ec;
    return !dir.empty() && fs::exists(dir / "tokenizer" / "o200k_base.tiktoken", ec);
  };
  if (const char* env = std::getenv("TALLY_RESOURCES_DIR"); env && *env && holds_resources(env)) return env;
  if (const auto exe = running_executable(); !exe.empty()) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "tally";
    if (holds_resources(installed)) return installed.string();
  }
#ifdef TALLY_RESOURCES_DIR
  if (holds_resources(TALLY_RESOURCES_DIR)) return TALLY_RESOURCES_DIR;
#endif
  return {};
}

}  // namespace tally
