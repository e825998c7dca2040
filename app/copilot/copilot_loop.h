#pragma once
// The analyst copilot's turn: render the conversation -> prefill (the engine reuses the cached prefix) -> stream
// tokens through the harmony parser -> on a tool call run the tool and append its result -> repeat until a final
// answer, a stop, or the step cap. Every message is written to the store as it appears (content updated while it
// streams, throttled), so whatever the user saw survives a crash. Plain C++: the Qt worker and tally-cli both drive
// it, and tests drive it with a ScriptedGenerator.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "copilot/chart_spec.h"
#include "copilot/conversation_builder.h"
#include "copilot/text_generator.h"
#include "tally/data/store.h"
#include "tally/data/tools.h"

namespace tally::app {

struct TurnStats {
  double ttft_ms = 0;        // from the request to the first generated token
  double tokens_per_s = 0;   // decode speed over all steps
  std::int64_t tokens = 0;   // generated, all steps
  std::int64_t prompt_tokens = 0;  // of the first step's prompt
  std::int64_t prompt_reused = 0;  // of which came from the cache
  int steps = 0;
  bool stopped = false;      // the user pressed Stop
  double duration_ms = 0;
  nlohmann::ordered_json to_json() const;
};

struct CopilotEvent {
  // PromptProcessed: a step's prefill is done and tokens start to stream (stats.prompt_tokens / prompt_reused).
  enum class Kind {
    MessageStarted, MessageDelta, MessageFinished, ToolCall, ToolResult, Chart, TurnFinished, Error, PromptProcessed
  };
  Kind kind = Kind::Error;
  std::int64_t conversation_id = 0;
  // The assistant message concerned; ToolCall/ToolResult: the call message; TurnFinished: the final answer (0: none).
  std::int64_t message_id = 0;
  std::int64_t result_message_id = 0;  // ToolResult: the stored tool message
  std::string channel, recipient;      // MessageStarted
  std::string tool;                    // ToolCall/ToolResult: "sql_query"
  std::string text;    // MessageDelta: the new text; ToolCall/ToolResult: the arguments; Error: the message
  std::string result;  // ToolResult: the result envelope (JSON); Chart: the ChartSpec (JSON)
  double duration_ms = 0;  // MessageFinished
  TurnStats stats;         // TurnFinished
};

struct ToolCallRequest {
  std::int64_t conversation_id = 0;
  std::int64_t call_message_id = 0;
  std::string tool;
  std::string arguments;
};

// What the loop itself says to the user; the app passes translated texts. "{steps}" is replaced by the cap.
struct CopilotTexts {
  std::string step_cap =
      "I stopped after {steps} tool calls without reaching an answer. Ask a narrower question, or say "
      "\"continue\" to let me go on.";
  std::string no_answer = "The model ended its reply without an answer. Try again, or rephrase the question.";
  std::string declined = "the user declined this tool call; do not repeat it unless the user asks";
};

struct CopilotOptions {
  BuildOptions build;
  GenerateOptions generate;  // the loop sets the stop tokens (<|return|>, <|call|>)
  int max_steps = 8;
  std::chrono::milliseconds store_interval{200};  // how often a streaming message's content is written
  CopilotTexts texts;
};

struct TurnOutcome {
  std::int64_t final_message_id = 0;  // 0 when the turn ended without an answer
  std::string final_text;
  TurnStats stats;
  bool hit_step_cap = false;
};

class CopilotLoop {
 public:
  CopilotLoop(data::Store& store, TextGenerator& generator, CopilotOptions options = {});
  ~CopilotLoop();

  void set_event_sink(std::function<void(const CopilotEvent&)> sink) { sink_ = std::move(sink); }
  // Asked before each tool call; false sends "declined" back to the model. Unset: tools run without asking.
  void set_confirmation(std::function<bool(const ToolCallRequest&)> confirm) { confirm_ = std::move(confirm); }
  CopilotOptions& options() { return options_; }

  // Answers the stored user message `user_message_id` (the caller stored it). Its reply branches from it, so
  // regenerating is answering the same user message again.
  Result<TurnOutcome> answer(std::int64_t conversation_id, std::int64_t user_message_id);

  // Any thread: ends the generation within one token; what was produced so far is kept.
  void stop();
  bool stop_requested() const { return stop_.load(); }

  // The token ids of the last prompt (tests inspect what the model was shown).
  const std::vector<int32_t>& last_prompt() const { return last_prompt_; }

 private:
  struct Turn;
  struct OpenMessage;
  Result<void> run_step(Turn& turn);
  Result<void> run_tool_call(Turn& turn, const data::Message& call);
  Result<data::Message> store_message(Turn& turn, data::NewMessage m);
  Result<std::int64_t> store_notice(Turn& turn, const std::string& text);
  void publish(CopilotEvent e);
  data::tools::ToolSession& tools();
  data::tools::ToolSession& chart_tools();

  data::Store& store_;
  TextGenerator& generator_;
  CopilotOptions options_;
  std::function<void(const CopilotEvent&)> sink_;
  std::function<bool(const ToolCallRequest&)> confirm_;
  std::unique_ptr<data::tools::ToolSession> tools_;
  std::unique_ptr<data::tools::ToolSession> chart_tools_;  // a larger row cap: a chart needs every point
  std::atomic<bool> stop_{false};
  std::vector<int32_t> last_prompt_;
};

}  // namespace tally::app
