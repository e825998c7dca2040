#include "harmony/preamble_text.h"

#include <vector>

#include "harmony/schema_typescript.h"

namespace tally::harmony {

namespace {

std::string join(const std::vector<std::string>& parts, const char* sep) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += sep;
    out += parts[i];
  }
  return out;
}

const char* effort_text(ReasoningEffort e) {
  switch (e) {
    case ReasoningEffort::Low: return "low";
    case ReasoningEffort::Medium: return "medium";
    case ReasoningEffort::High: return "high";
  }
  return "medium";
}

std::string namespace_block(const ToolNamespaceConfig& ns) {
  std::vector<std::string> lines;
  lines.push_back("## " + ns.name + "\n");
  // A namespace without tools (python) is prose; with tools its description becomes `//` comments.
  if (ns.description) {
    for (const auto& line : text_lines(*ns.description)) lines.push_back(ns.tools.empty() ? line : "// " + line);
  }
  if (!ns.tools.empty()) {
    lines.push_back("namespace " + ns.name + " {\n");
    for (const auto& tool : ns.tools) {
      for (const auto& line : text_lines(tool.description)) lines.push_back("// " + line);
      if (tool.parameters) {
        lines.push_back("type " + tool.name + " = (_: " + schema_to_typescript(*tool.parameters) + ") => any;\n");
      } else {
        lines.push_back("type " + tool.name + " = () => any;\n");
      }
    }
    lines.push_back("} // namespace " + ns.name);
  }
  return join(lines, "\n");
}

}  // namespace

std::vector<std::string> text_lines(const std::string& text) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    size_t end = nl == std::string::npos ? text.size() : nl;
    std::string line = text.substr(pos, end - pos);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    out.push_back(std::move(line));
    if (nl == std::string::npos) break;
    pos = nl + 1;
  }
  return out;
}

std::string tools_section_text(const ToolNamespaces& tools) {
  std::vector<std::string> sections{"# Tools"};
  for (const auto& [key, ns] : tools) sections.push_back(namespace_block(ns));
  return join(sections, "\n\n");
}

std::string system_content_text(const SystemContent& sys, bool conversation_has_function_tools) {
  std::vector<std::string> sections;
  std::vector<std::string> top;
  if (sys.model_identity) top.push_back(*sys.model_identity);
  if (sys.knowledge_cutoff) top.push_back("Knowledge cutoff: " + *sys.knowledge_cutoff);
  if (sys.conversation_start_date) top.push_back("Current date: " + *sys.conversation_start_date);
  if (!top.empty()) sections.push_back(join(top, "\n"));

  if (sys.reasoning_effort) sections.push_back(std::string("Reasoning: ") + effort_text(*sys.reasoning_effort));

  if (sys.tools && !sys.tools->empty()) sections.push_back(tools_section_text(*sys.tools));

  if (sys.channel_config && !sys.channel_config->valid_channels.empty()) {
    std::string header = "# Valid channels: " + join(sys.channel_config->valid_channels, ", ") + ".";
    if (sys.channel_config->channel_required) header += " Channel must be included for every message.";
    if (conversation_has_function_tools) {
      header += "\nCalls to these tools must go to the commentary channel: 'functions'.";
    }
    sections.push_back(std::move(header));
  }
  return join(sections, "\n\n");
}

std::string developer_content_text(const DeveloperContent& dev) {
  std::vector<std::string> sections;
  if (dev.instructions) {
    sections.push_back("# Instructions");
    sections.push_back(*dev.instructions);
  }
  if (dev.tools && !dev.tools->empty()) sections.push_back(tools_section_text(*dev.tools));
  return join(sections, "\n\n");
}

}  // namespace tally::harmony
