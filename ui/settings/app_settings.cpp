#include "ui/settings/app_settings.h"

#include <QLocale>
#include <QSettings>

namespace tally::ui {

AppSettings AppSettings::load() {
  QSettings s;
  AppSettings a;
  a.modelPath = s.value(QStringLiteral("model/path"), a.modelPath).toString();
  a.backend = s.value(QStringLiteral("model/backend"), a.backend).toString();
  a.threads = s.value(QStringLiteral("model/threads"), a.threads).toInt();
  a.context = s.value(QStringLiteral("model/context"), a.context).toLongLong();
  a.confirmTools = s.value(QStringLiteral("chat/confirmTools"), a.confirmTools).toBool();
  a.language = s.value(QStringLiteral("ui/language"), a.language).toString();
  a.effort = s.value(QStringLiteral("chat/effort"), a.effort).toString();
  if (a.context < 512) a.context = 8192;
  if (a.threads < 0) a.threads = 0;
  return a;
}

void AppSettings::save() const {
  QSettings s;
  s.setValue(QStringLiteral("model/path"), modelPath);
  s.setValue(QStringLiteral("model/backend"), backend);
  s.setValue(QStringLiteral("model/threads"), threads);
  s.setValue(QStringLiteral("model/context"), context);
  s.setValue(QStringLiteral("chat/confirmTools"), confirmTools);
  s.setValue(QStringLiteral("ui/language"), language);
  s.setValue(QStringLiteral("chat/effort"), effort);
}

QString effectiveLanguage(const AppSettings& settings) {
  if (settings.language == QLatin1String("ko") || settings.language == QLatin1String("en")) return settings.language;
  return QLocale::system().language() == QLocale::Korean ? QStringLiteral("ko") : QStringLiteral("en");
}

}  // namespace tally::ui
