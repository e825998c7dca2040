// Offline by construction (issue 5 item 8): no networking code in the app, the UI or the engine. The libraries and
// test binaries must not load QtNetwork, and the sources may not use sockets or Qt's network classes.
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QProcess>
#include <QRegularExpression>
#include <gtest/gtest.h>

#include "fixtures.h"

namespace {

QString linkedLibraries(const QString& binary) {
  QProcess ldd;
  ldd.start(QStringLiteral("ldd"), {binary});
  if (!ldd.waitForFinished(30000)) return {};
  return QString::fromLocal8Bit(ldd.readAllStandardOutput());
}

}  // namespace

TEST(Offline, ThisUiTestBinaryDoesNotLoadQtNetwork) {
  // It links the same tally_ui / tally_worker / engine libraries as the app.
  QFile maps(QStringLiteral("/proc/self/maps"));
  ASSERT_TRUE(maps.open(QIODevice::ReadOnly));
  const QString mapped = QString::fromLocal8Bit(maps.readAll());
  EXPECT_FALSE(mapped.contains(QStringLiteral("Qt6Network"))) << "QtNetwork is mapped into the UI test";
  const QString libs = linkedLibraries(QStringLiteral("/proc/self/exe"));
  EXPECT_FALSE(libs.contains(QStringLiteral("Network"), Qt::CaseInsensitive)) << libs.toStdString();
}

TEST(Offline, TheAppBinaryDoesNotLinkQtNetwork) {
  const QString app = QString::fromStdString(tally::testing::build_dir()) + QStringLiteral("/app/gui/tally");
  if (!QFileInfo::exists(app)) GTEST_SKIP() << "the tally binary is not built in this tree";
  const QString libs = linkedLibraries(app);
  ASSERT_FALSE(libs.isEmpty());
  EXPECT_TRUE(libs.contains(QStringLiteral("Qt6Widgets")));
  EXPECT_FALSE(libs.contains(QStringLiteral("Qt6Network"))) << libs.toStdString();
}

TEST(Offline, SourcesUseNoSocketsOrQtNetwork) {
  const QString root = QString::fromStdString(tally::testing::source_dir());
  // Assembled so this file does not match itself.
  const QString q = QStringLiteral("Q");
  const QRegularExpression banned(q + QStringLiteral("TcpSocket|") + q + QStringLiteral("UdpSocket|") + q +
                                  QStringLiteral("Network[A-Z]|") + q + QStringLiteral("LocalSocket|\\bsock") +
                                  QStringLiteral("et\\s*\\(|<sys/sock") + QStringLiteral("et\\.h>|<netinet/|Qt6::Net") +
                                  QStringLiteral("work|COMPONENTS[^)]*Net") + QStringLiteral("work"));
  QStringList offenders;
  int scanned = 0;
  for (const char* dir : {"app", "ui", "engine", "data"}) {
    QDirIterator it(root + QLatin1Char('/') + QLatin1String(dir),
                    {QStringLiteral("*.cpp"), QStringLiteral("*.h"), QStringLiteral("*.cu"), QStringLiteral("*.txt")},
                    QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
      const QString path = it.next();
      QFile f(path);
      if (!f.open(QIODevice::ReadOnly)) continue;
      ++scanned;
      const QString text = QString::fromUtf8(f.readAll());
      const auto match = banned.match(text);
      if (match.hasMatch()) offenders << path + QStringLiteral(": ") + match.captured();
    }
  }
  EXPECT_GT(scanned, 50);
  EXPECT_TRUE(offenders.isEmpty()) << offenders.join(QLatin1Char('\n')).toStdString();
}
