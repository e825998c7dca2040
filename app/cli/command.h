#pragma once
// tally-cli subcommands register themselves here; main() dispatches on argv[1].
#include <string>
#include <string_view>
#include <vector>

namespace tally::cli {

using Args = std::vector<std::string>;  // the arguments after the subcommand name

struct Command {
  const char* name;
  const char* usage;  // one line: "info MODEL"
  int (*run)(const Args& args);
};

// Static registration: `static const Registration reg{{"info", "info MODEL", &run_info}};` in the command's file.
struct Registration {
  explicit Registration(Command c);
};

const std::vector<Command>& commands();

// Small argument helpers shared by subcommands. flag("--model") finds "--model X" or "--model=X".
class ArgParser {
 public:
  explicit ArgParser(const Args& args);
  // Value of an option, or `fallback`. Marks it consumed.
  std::string option(std::string_view name, std::string fallback = {});
  bool has_option(std::string_view name) const;
  bool flag(std::string_view name);  // a boolean switch such as "--json"
  // Positional arguments (not starting with "--", not consumed as an option value).
  std::vector<std::string> positionals() const;
  // Any "--x" that no call asked for: report as an error so typos are not silently ignored.
  std::vector<std::string> unknown() const;

 private:
  Args args_;
  std::vector<bool> used_;
};

int fail(const std::string& message);  // prints "tally-cli: message" to stderr, returns 1

}  // namespace tally::cli
