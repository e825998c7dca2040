// The Korean translation is compiled into the app and actually reaches the widgets (tr() contexts are the
// namespaced class names, which lupdate alone gets wrong), and Korean text renders and round-trips in the chat.
#include <QCoreApplication>
#include <QLabel>
#include <QPushButton>
#include <QTranslator>
#include <QXmlStreamReader>
#include <QFile>
#include <gtest/gtest.h>

#include "fixtures.h"
#include "tally/data/store.h"
#include "ui/chat/chat_pane.h"

namespace {

struct KoreanUi {
  QTranslator translator;
  KoreanUi() {
    EXPECT_TRUE(translator.load(QStringLiteral(":/i18n/tally_ko.qm")));
    QCoreApplication::installTranslator(&translator);
  }
  ~KoreanUi() { QCoreApplication::removeTranslator(&translator); }
};

}  // namespace

TEST(KoreanUi, ChatPaneSpeaksKorean) {
  KoreanUi ko;
  const std::string dir = tally::testing::scratch_dir("ko_ui");
  auto store = tally::data::Store::open(dir + "/tally.db").value();
  tally::ui::ChatPane pane(store);
  EXPECT_EQ(pane.findChild<QPushButton*>(QStringLiteral("sendButton"))->text(), QStringLiteral("보내기"));
  EXPECT_EQ(pane.findChild<QPushButton*>(QStringLiteral("newChatButton"))->text(), QStringLiteral("새 대화"));
  EXPECT_TRUE(pane.findChild<QLabel*>(QStringLiteral("modelNotice"))->text().contains(QStringLiteral("모델")));
}

TEST(KoreanUi, EveryStringIsTranslated) {
  // The .ts in the repository has no unfinished or empty translation.
  QFile ts(QString::fromStdString(tally::testing::resources_dir()) + QStringLiteral("/translations/tally_ko.ts"));
  ASSERT_TRUE(ts.open(QIODevice::ReadOnly));
  QXmlStreamReader xml(&ts);
  int messages = 0;
  QStringList untranslated;
  QString source;
  while (!xml.atEnd()) {
    xml.readNext();
    if (!xml.isStartElement()) continue;
    if (xml.name() == QLatin1String("source")) {
      source = xml.readElementText();
      ++messages;
    } else if (xml.name() == QLatin1String("translation")) {
      const bool unfinished = xml.attributes().value(QLatin1String("type")) == QLatin1String("unfinished");
      const QString text = xml.readElementText(QXmlStreamReader::IncludeChildElements);
      if (unfinished || text.trimmed().isEmpty()) untranslated << source;
    }
  }
  EXPECT_GT(messages, 150);
  EXPECT_TRUE(untranslated.isEmpty()) << untranslated.join(QLatin1Char('\n')).toStdString();
}
