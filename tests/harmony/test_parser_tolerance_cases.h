#pragma once
// The malformed gpt-oss outputs of issue 9 item 1, as harmony text (control tokens written as "<|start|>" etc.,
// turned into their special ids by encode_with_specials). Shared by the tolerance tests and the seed writer so
// the fuzz corpus holds exactly what the tests check.
#include <string>
#include <vector>

namespace tally::harmony::testing {

struct MalformedCase {
  std::string name;  // also the seed file's name
  std::string text;  // what the model emitted after a prompt ending in "<|start|>assistant"
};

inline const std::vector<MalformedCase>& malformed_cases() {
  static const std::vector<MalformedCase> cases = {
      {"channel_then_recipient_constrain",
       "<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{\"sql\":\"SELECT 1\"}<|call|>"},
      {"recipient_then_channel",
       " to=functions.sql_query<|channel|>commentary <|constrain|>json<|message|>{\"sql\":\"SELECT 1\"}<|call|>"},
      {"content_type_glued_to_name",
       "<|channel|>commentary to=functions.sql_queryjson<|message|>{\"sql\":\"SELECT 1\"}<|call|>"},
      {"control_token_inside_recipient",
       " to=functions.make_chart<|channel|>commentary<|message|>{\"kind\":\"bar\"}<|call|>"},
      {"constrain_where_recipient_belongs",
       "<|channel|>commentary <|constrain|>functions.sql_query json<|message|>{\"sql\":\"SELECT 1\"}<|call|>"},
      {"constrain_and_no_recipient", "<|channel|>commentary <|constrain|>json<|message|>{\"sql\":\"SELECT 1\"}<|call|>"},
      {"missing_start_after_end",
       "<|channel|>analysis<|message|>Sum the column.<|end|><|channel|>final<|message|>The total is 42.<|return|>"},
      {"role_without_start_after_end",
       "<|channel|>analysis<|message|>Sum it.<|end|>assistant<|channel|>final<|message|>The total is 42.<|return|>"},
      {"text_after_end_without_header",
       "<|channel|>analysis<|message|>Sum the column.<|end|>The total is 42.<|return|>"},
      {"start_inside_content",
       "<|channel|>analysis<|message|>Sum it.<|start|>assistant<|channel|>final<|message|>The total is 42.<|return|>"},
      {"ends_inside_header",
       "<|channel|>analysis<|message|>Sum it.<|end|><|start|>assistant<|channel|>comm"},
      {"ends_inside_json_arguments",
       "<|channel|>analysis<|message|>Query it.<|end|><|start|>assistant<|channel|>commentary to=functions.sql_query "
       "<|constrain|>json<|message|>{\"sql\": \"SELECT region, SUM(amount) FROM"},
      {"arguments_not_json",
       "<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{sql: SELECT 1}<|call|>"},
      {"end_ends_message_not_turn",
       "<|channel|>analysis<|message|>a<|end|><|start|>assistant<|channel|>final<|message|>b<|end|>"},
  };
  return cases;
}

}  // namespace tally::harmony::testing
