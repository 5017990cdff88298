#include "echo/notify.h"

namespace datenwerk::echo {

std::optional<mail::Mail> StatusMail(const Report& before, const Report& after, const Services& services,
                                     const std::string& base_url, int64_t now_ms) {
  if (after.email.empty()) return std::nullopt;
  if (before.status == after.status && before.office == after.office && before.status_note == after.status_note) {
    return std::nullopt;
  }
  const Category* category = services.FindCategory(after.service_code);
  const Office* office = services.FindOffice(after.office);
  const std::string id = std::to_string(after.id);
  mail::Mail m;
  m.to = after.email;
  m.subject = "Ihre Meldung " + id + ": " + StatusLabel(after.status);
  m.body = "Guten Tag,\n\nIhre Meldung " + id + " (" + (category ? category->name : after.service_code) +
           ") hat einen neuen Stand: " + StatusLabel(after.status) + ".\n";
  if (before.office != after.office) {
    m.body += "Zuständig ist jetzt: " + (office ? office->name : after.office) + ".\n";
  }
  if (!after.status_note.empty()) m.body += "\nHinweis der Verwaltung:\n" + after.status_note + "\n";
  m.body += "\nDie Meldung im Netz: " + base_url + "/buergerecho/meldungen/" + id + "\n";
  if (after.status == ReportStatus::kDone) {
    m.body += "Ist der Mangel behoben? Bestätigen Sie es oder öffnen Sie die Meldung innerhalb von 14 Tagen wieder: " +
              base_url + "/buergerecho/privat/" + after.token + "\n";
  } else {
    m.body += "Ihr privater Link zur Meldung: " + base_url + "/buergerecho/privat/" + after.token + "\n";
  }
  m.body += "\nDiese Nachricht wurde automatisch versandt, weil Sie bei der Meldung Ihre E-Mail-Adresse angegeben "
            "haben. Ihre Adresse wird nicht veröffentlicht.\n";
  m.key = "buergerecho:" + id + ":" + std::to_string(now_ms) + ":" + std::string(StatusCode(after.status));
  m.created_ms = now_ms;
  return m;
}

datenwerk::Status QueueStatusMail(sql::Tx& tx, const Report& before, const Report& after, const Services& services,
                                  const std::string& base_url, int64_t now_ms) {
  auto mail = StatusMail(before, after, services, base_url, now_ms);
  if (!mail) return datenwerk::Status::Ok();
  return mail::Outbox::Enqueue(tx, *mail).status();
}

}  // namespace datenwerk::echo
