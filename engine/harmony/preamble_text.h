#pragma once
// The text bodies of system and developer messages: identity, dates and reasoning effort; instructions; the
// `# Tools` section with one `## namespace` block per tool namespace; the `# Valid channels` line.
#include <string>
#include <vector>

#include "harmony/message.h"

namespace tally::harmony {

// `conversation_has_function_tools` adds "Calls to these tools must go to the commentary channel: 'functions'."
// after the channels line: the system message's text depends on whether a developer message declares functions.
std::string system_content_text(const SystemContent& sys, bool conversation_has_function_tools);
std::string developer_content_text(const DeveloperContent& dev);
std::string tools_section_text(const ToolNamespaces& tools);

// Rust's str::lines(): split on '\n', drop one trailing '\r' per line, no empty line after a final '\n'.
std::vector<std::string> text_lines(const std::string& text);

}  // namespace tally::harmony
