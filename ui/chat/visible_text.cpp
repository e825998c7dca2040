#include "ui/chat/visible_text.h"

namespace tally::ui {
namespace {

// Harmony's special tokens are short ASCII names; a longer or multi-line run between "<|" and "|>" is still cut,
// because the user can't tell it apart from markup, but the search for "|>" is bounded so a lone "<|" in long text
// stays cheap.
constexpr int kMaxTokenLength = 64;

struct Token {
  int begin = -1;  // index of "<|"
  int end = -1;    // index after "|>" (or -1 when unterminated)
  QString name;
};

Token nextToken(const QString& s, int from) {
  Token t;
  t.begin = s.indexOf(QStringLiteral("<|"), from);
  if (t.begin < 0) return t;
  const int close = s.indexOf(QStringLiteral("|>"), t.begin + 2);
  if (close >= 0 && close - t.begin <= kMaxTokenLength) {
    t.end = close + 2;
    t.name = s.mid(t.begin + 2, close - t.begin - 2).trimmed();
  }
  return t;
}

bool endsMessage(const QString& name) {
  return name == QLatin1String("end") || name == QLatin1String("return") || name == QLatin1String("call");
}

}  // namespace

QString visibleAnswer(const QString& raw, TextState state) {
  QString out;
  out.reserve(raw.size());
  bool visible = true;   // the message itself is a final-channel message
  bool inHeader = false;
  QString header;        // text between <|start|>/<|channel|> and <|message|>
  int pos = 0;
  while (pos < raw.size()) {
    const Token t = nextToken(raw, pos);
    if (t.begin < 0) {
      if (visible && !inHeader) out += raw.mid(pos);
      break;
    }
    if (visible && !inHeader) out += raw.mid(pos, t.begin - pos);
    if (inHeader) header += raw.mid(pos, t.begin - pos);
    if (t.end < 0) {
      // Unterminated: mid-stream it is probably a token still arriving; in stored text it is literal "<|".
      if (state == TextState::Complete && visible && !inHeader) out += raw.mid(t.begin);
      break;
    }
    if (t.name == QLatin1String("start") || t.name == QLatin1String("channel") ||
        t.name == QLatin1String("constrain")) {
      if (!inHeader) header.clear();
      inHeader = true;
      header += QLatin1Char(' ') + t.name + QLatin1Char(' ');
    } else if (t.name == QLatin1String("message")) {
      // Only an explicit final channel without a recipient is answer text.
      const QString h = header.simplified();
      visible = h.contains(QLatin1String("channel final")) && !h.contains(QLatin1String("to="));
      inHeader = false;
      header.clear();
    } else if (endsMessage(t.name)) {
      visible = false;
      inHeader = false;
    }
    pos = t.end;
  }
  return out;
}

QString withoutMarkup(const QString& raw, TextState state) {
  QString out;
  out.reserve(raw.size());
  int pos = 0;
  while (pos < raw.size()) {
    const Token t = nextToken(raw, pos);
    if (t.begin < 0) {
      out += raw.mid(pos);
      break;
    }
    out += raw.mid(pos, t.begin - pos);
    if (t.end < 0) {
      if (state == TextState::Complete) out += raw.mid(t.begin);
      break;
    }
    pos = t.end;
  }
  return out;
}

}  // namespace tally::ui
