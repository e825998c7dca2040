#include "ui/chat/conversation_markdown.h"

#include <QCoreApplication>

#include "tally/data/store.h"
#include "ui/chat/conversation_thread.h"
#include "ui/chat/visible_text.h"

namespace tally::ui {

QString conversationMarkdown(const tally::data::Store& store, qint64 conversationId, QString* error) {
  auto conversation = store.conversation(conversationId);
  auto messages = store.messages(conversationId);
  if (!conversation || !messages) {
    if (error)
      *error = QString::fromStdString(!conversation ? conversation.error().message : messages.error().message);
    return {};
  }
  QString out = QStringLiteral("# ") + QString::fromStdString(conversation->title) + QStringLiteral("\n\n");
  for (const ThreadEntry& e : visibleThread(*messages)) {
    const auto& m = *e.message;
    const QString content = QString::fromStdString(m.content);
    if (m.role == "user") {
      out += QStringLiteral("## ") + QCoreApplication::translate("ConversationExport", "Question") + QStringLiteral("\n\n") + content + QStringLiteral("\n\n");
    } else if (m.role == "assistant" && m.recipient && !m.recipient->empty()) {
      out += QStringLiteral("> ") + QCoreApplication::translate("ConversationExport", "Tool call") + QStringLiteral(" `") + QString::fromStdString(*m.recipient) +
             QStringLiteral("`: `") + withoutMarkup(content).simplified().left(300) + QStringLiteral("`\n\n");
    } else if (m.role == "assistant" && m.channel.value_or("final") == "final") {
      out += QStringLiteral("## ") + QCoreApplication::translate("ConversationExport", "Answer") + QStringLiteral("\n\n") + visibleAnswer(content) +
             QStringLiteral("\n\n");
    }
  }
  return out;
}

}  // namespace tally::ui
