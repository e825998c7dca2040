#include <algorithm>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli/command.h"

namespace tally::cli {

namespace {
std::vector<Command>& registry() {
  static std::vector<Command> list;
  return list;
}
}  // namespace

Registration::Registration(Command c) { registry().push_back(c); }

const std::vector<Command>& commands() {
  auto& list = registry();
  std::sort(list.begin(), list.end(), [](const Command& a, const Command& b) { return std::string(a.name) < b.name; });
  return list;
}

ArgParser::ArgParser(const Args& args) : args_(args), used_(args.size(), false) {}

std::string ArgParser::option(std::string_view name, std::string fallback) {
  for (size_t i = 0; i < args_.size(); ++i) {
    const std::string& a = args_[i];
    if (a == name && i + 1 < args_.size()) {
      used_[i] = used_[i + 1] = true;
      return args_[i + 1];
    }
    if (a.size() > name.size() && a.compare(0, name.size(), name) == 0 && a[name.size()] == '=') {
      used_[i] = true;
      return a.substr(name.size() + 1);
    }
  }
  return fallback;
}

bool ArgParser::has_option(std::string_view name) const {
  return std::any_of(args_.begin(), args_.end(), [&](const std::string& a) {
    return a == name || (a.size() > name.size() && a.compare(0, name.size(), name) == 0 && a[name.size()] == '=');
  });
}

bool ArgParser::flag(std::string_view name) {
  for (size_t i = 0; i < args_.size(); ++i) {
    if (args_[i] == name) {
      used_[i] = true;
      return true;
    }
  }
  return false;
}

std::vector<std::string> ArgParser::positionals() const {
  std::vector<std::string> out;
  for (size_t i = 0; i < args_.size(); ++i) {
    if (!used_[i] && (args_[i].empty() || args_[i].rfind("--", 0) != 0)) out.push_back(args_[i]);
  }
  return out;
}

std::vector<std::string> ArgParser::unknown() const {
  std::vector<std::string> out;
  for (size_t i = 0; i < args_.size(); ++i) {
    if (!used_[i] && args_[i].rfind("--", 0) == 0) out.push_back(args_[i]);
  }
  return out;
}

int fail(const std::string& message) {
  std::cerr << "tally-cli: " << message << "\n";
  return 1;
}

}  // namespace tally::cli

int main(int argc, char** argv) {
  using namespace tally::cli;
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "help") {
    std::cout << "tally-cli " << TALLY_VERSION << " — Tally's headless front door\n\nusage:\n";
    for (const auto& c : commands()) std::cout << "  tally-cli " << c.usage << "\n";
    return argc < 2 ? 2 : 0;
  }
  if (std::string(argv[1]) == "--version") {
    std::cout << "tally-cli " << TALLY_VERSION << "\n";
    return 0;
  }
  const std::string name = argv[1];
  for (const auto& c : commands()) {
    if (name == c.name) return c.run(Args(argv + 2, argv + argc));
  }
  return fail("unknown command '" + name + "' (try tally-cli --help)");
}
