#pragma once
// What the chat may show of an assistant message. The harmony parser should already have split channels apart, but
// models and runtimes leak markup (a header glued into a final answer, a stray <|end|>): this is the last line of
// defence so the visible answer never contains `<|...|>` token text or text of the analysis/commentary channels.
#include <QString>

namespace tally::ui {

enum class TextState { Complete, Streaming };

// The visible part of a final-channel message's raw text. Embedded headers switch visibility: only text after a
// `<|channel|>final...<|message|>` header stays; text after <|end|>/<|call|>/<|return|> is hidden until such a header.
// While streaming, a trailing unfinished token ("<|chan") is held back instead of flashing on screen.
QString visibleAnswer(const QString& raw, TextState state = TextState::Complete);

// Reasoning and tool arguments are shown as plain text, but never with token markup either.
QString withoutMarkup(const QString& raw, TextState state = TextState::Complete);

}  // namespace tally::ui
