// BürgerEcho in the back office: the inbox (open reports, the longest waiting first, by office,
// state and category) and a report's page, where staff set its state with a public note (from a
// template or their own words), pass it to another office, and hide its text or photos from the
// public with a reason. Every change is one write with its audit entry and the reporter's mail.
#include <fmt/format.h>

#include <algorithm>
#include <charconv>

#include <boost/json.hpp>

#include "core/berlin_time.h"
#include "core/dates.h"
#include "core/json_text.h"
#include "echo/notify.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

constexpr int64_t kPerPage = 50;

// Public notes staff start from, by state (they may write their own instead).
const std::vector<std::pair<echo::ReportStatus, std::string>>& Templates() {
  static const std::vector<std::pair<echo::ReportStatus, std::string>> kTemplates = {
      {echo::ReportStatus::kInProgress, "Vielen Dank für Ihre Meldung. Wir kümmern uns darum."},
      {echo::ReportStatus::kScheduled, "Die Arbeiten sind eingeplant."},
      {echo::ReportStatus::kReferred, "Zuständig ist eine andere Stelle; wir haben Ihre Meldung dorthin weitergegeben."},
      {echo::ReportStatus::kDuplicate, "Dieser Mangel ist bereits gemeldet und in Bearbeitung."},
      {echo::ReportStatus::kNotResponsible, "Dafür ist die Stadt nicht zuständig (zum Beispiel ein Privatgrundstück)."},
      {echo::ReportStatus::kDone, "Der Mangel ist behoben. Vielen Dank für Ihren Hinweis."},
      {echo::ReportStatus::kNotFixable, "Der Mangel lässt sich derzeit nicht beheben."},
  };
  return kTemplates;
}

std::optional<int64_t> ReportId(const Visit& visit) {
  const std::string& text = visit.request.Param("id");
  int64_t id = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (ec != std::errc() || p != text.data() + text.size() || id < 1) return std::nullopt;
  return id;
}

std::string OfficeName(const echo::Services& services, const std::string& id) {
  const echo::Office* office = services.FindOffice(id);
  return office ? office->name : id;
}

std::string CategoryName(const echo::Services& services, const std::string& code) {
  const echo::Category* category = services.FindCategory(code);
  return category ? category->name : code;
}

Response NotSetUp(Visit& visit) {
  return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", "BürgerEcho ist auf diesem Server nicht eingerichtet.");
}

// The report's page with its forms; `errors` next to the fields of the form that was sent.
Response Render(Visit& visit, const echo::Report& r, const FieldErrors& errors, int status) {
  const echo::Services& services = *visit.office.echo_services;
  auto history = visit.office.reports->History(r.id);
  if (!history.ok()) return StatusPage(visit, history.status());
  web::Page page;
  page.title = "Meldung " + std::to_string(r.id) + ": " + CategoryName(services, r.service_code);
  page.current_nav = "/verwaltung/buergerecho";
  page.breadcrumbs = {{"Verwaltung", "/verwaltung"}, {"BürgerEcho", "/verwaltung/buergerecho"}};
  std::string& b = page.body;
  b += Notice(visit.request);
  b += ErrorSummary(errors, {"stand", "stelle", "notiz", "duplikat", "grund"});
  const int64_t waiting_days = (visit.office.now_ms() - r.requested_ms) / kDayMs;
  b += "<dl class=\"facts\">\n<dt>Stand</dt><dd>" + std::string(echo::StatusLabel(r.status)) +
       "</dd>\n<dt>Zuständig</dt><dd>" + Escape(OfficeName(services, r.office)) + "</dd>\n<dt>Gemeldet am</dt><dd>" +
       BerlinTime(r.requested_ms) + " Uhr (vor " + std::to_string(waiting_days) + " Tagen)</dd>\n";
  if (!r.district.empty()) b += "<dt>Stadtbezirk</dt><dd>" + Escape(r.district) + "</dd>\n";
  if (!r.address.empty()) b += "<dt>Ort</dt><dd>" + Escape(r.address) + "</dd>\n";
  if (r.lat) b += "<dt>Position</dt><dd>" + fmt::format("{:.6f}, {:.6f}", *r.lat, *r.lon) + "</dd>\n";
  // Personal data: staff see it to answer; it never reaches a public page.
  b += "<dt>E-Mail</dt><dd>" + Escape(r.email.empty() ? std::string("keine") : r.email) + "</dd>\n";
  if (!r.name.empty()) {
    b += "<dt>Name</dt><dd>" + Escape(r.name) + (r.show_name ? " (öffentlich gezeigt)" : " (nicht öffentlich)") + "</dd>\n";
  }
  b += "</dl>\n<h2>Beschreibung" + std::string(r.text_hidden ? " (öffentlich ausgeblendet)" : "") + "</h2>\n<p>" +
       Escape(r.description.empty() ? std::string("Ohne Beschreibung.") : r.description) + "</p>\n";
  const std::vector<int> visible = echo::VisiblePhotos(r);
  if (!visible.empty()) {
    b += "<ul class=\"photos\">";
    for (int n : visible) {
      b += "<li><a href=\"" + echo::PhotoPath(r.id, n, false) + "\"><img src=\"" + echo::PhotoPath(r.id, n, true) +
           "\" alt=\"Foto " + std::to_string(n) + " (vergrößern)\"></a></li>";
    }
    b += "</ul>\n";
  }
  b += "<h2>Verlauf</h2>\n<ol>\n";
  for (const echo::ReportEvent& e : *history) {
    b += "<li>" + BerlinTime(e.at_ms) + " Uhr: " + echo::StatusLabel(e.status) +
         (e.note.empty() ? "" : " – " + Escape(e.note)) + " <span class=\"muted\">(" +
         Escape(e.who.empty() ? std::string("Bürgerin oder Bürger") : e.who) + ")</span></li>\n";
  }
  b += "</ol>\n";
  if (!MayHandleReportsOf(visit.actor, r.office)) {
    if (RoleAllows(visit.actor.role, Role::kEditor)) {
      b += "<p class=\"notice\">Diese Meldung bearbeitet " + Escape(OfficeName(services, r.office)) +
           ". Sie sind für andere Stellen zuständig und können sie nur lesen.</p>\n";
    }
    return Frame(visit, std::move(page), status);
  }

  const std::string action = "/verwaltung/buergerecho/" + std::to_string(r.id);
  std::vector<std::pair<std::string, std::string>> states;
  for (echo::ReportStatus s : echo::kAllStatuses) states.emplace_back(echo::StatusCode(s), echo::StatusLabel(s));
  std::vector<std::pair<std::string, std::string>> offices;
  for (const echo::Office& o : services.Offices()) offices.emplace_back(o.id, o.name);
  b += "<h2>Bearbeiten</h2>\n<form method=\"post\" action=\"" + action + "\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf);
  b += SelectField({"stand", "Stand"}, states, visit.Form("stand").empty() ? echo::StatusCode(r.status) : visit.Form("stand"),
                   errors);
  b += SelectField({"stelle", "Zuständige Stelle", "text", "Eine andere Stelle übernimmt die Meldung; das steht im Verlauf."},
                   offices, visit.Form("stelle").empty() ? r.office : visit.Form("stelle"), errors);
  std::string hint = "Öffentlich sichtbar und in der Nachricht an die meldende Person. Leer: die Vorlage zum Stand (";
  for (size_t i = 0; i < Templates().size(); ++i) {
    hint += (i ? "; " : "") + std::string(echo::StatusLabel(Templates()[i].first)) + ": „" + Templates()[i].second + "“";
  }
  b += InputField({"notiz", "Öffentliche Notiz", "textarea", hint + ")."}, visit.Form("notiz"), errors);
  b += InputField({"duplikat", "Doppelt gemeldet: Nummer der ersten Meldung", "text",
                   "Leer lassen, wenn die Meldung keine Wiederholung ist. Sonst wird sie als doppelt geschlossen und die "
                   "erste Meldung zählt eine Unterstützung mehr."},
                  visit.Form("duplikat"), errors);
  b += "<button type=\"submit\">Speichern</button>\n</form>\n";

  b += "<h2>Sichtbarkeit</h2>\n<form method=\"post\" action=\"" + action + "/sichtbarkeit\" class=\"form\" novalidate>\n" +
       CsrfField(visit.session.csrf) + "<fieldset><legend>Öffentlich ausblenden</legend>\n";
  b += std::string("<div class=\"field field-check\"><input type=\"checkbox\" id=\"f-text\" name=\"text\" value=\"aus\"") +
       (r.text_hidden ? " checked" : "") + "><label for=\"f-text\">Beschreibung ausblenden</label></div>\n";
  auto photos = visit.office.reports->PhotoNumbers(r.id);
  if (!photos.ok()) return StatusPage(visit, photos.status());
  for (const auto& [n, hidden] : *photos) {
    const std::string id = "f-foto-" + std::to_string(n);
    b += "<div class=\"field field-check\"><input type=\"checkbox\" id=\"" + id + "\" name=\"foto-" + std::to_string(n) +
         "\" value=\"aus\"" + (hidden ? " checked" : "") + "><label for=\"" + id + "\">Foto " + std::to_string(n) +
         " ausblenden</label></div>\n";
  }
  b += "</fieldset>\n" +
       InputField({"grund", "Grund", "text", "Pflicht beim Ausblenden, zum Beispiel „Kennzeichen erkennbar“; steht im Protokoll."},
                  visit.Form("grund"), errors) +
       "<button type=\"submit\">Sichtbarkeit speichern</button>\n</form>\n";
  return Frame(visit, std::move(page), status);
}

Result<echo::Report> Load(Visit& visit) {
  const auto id = ReportId(visit);
  if (!id) return NotFound("Diese Meldung gibt es nicht.", "id");
  auto found = visit.office.reports->Get(*id);
  if (!found.ok()) return found.status();
  if (!*found) return NotFound("Diese Meldung gibt es nicht.", "id");
  return **found;
}

// The open reports per office by waiting time.
std::string BacklogTable(Visit& visit, const echo::Services& services) {
  auto backlog = visit.office.reports->Backlog(visit.office.now_ms());
  if (!backlog.ok() || backlog->empty()) return "";
  std::string b = "<h2>Offene Meldungen nach Stelle und Wartezeit</h2>\n<div class=\"table-wrap\"><table>\n"
                  "<caption>Offene Meldungen je Stelle</caption>\n<thead><tr><th scope=\"col\">Stelle</th>"
                  "<th scope=\"col\" class=\"num\">bis 7 Tage</th><th scope=\"col\" class=\"num\">8 bis 30 Tage</th>"
                  "<th scope=\"col\" class=\"num\">über 30 Tage</th><th scope=\"col\">älteste seit</th></tr></thead>\n<tbody>\n";
  for (const echo::OfficeBacklog& o : *backlog) {
    b += "<tr><th scope=\"row\"><a href=\"/verwaltung/buergerecho?stand=offen&amp;stelle=" +
         Escape(http::PercentEncode(o.office)) + "\">" + Escape(OfficeName(services, o.office)) + "</a></th><td class=\"num\">" +
         std::to_string(o.up_to_week) + "</td><td class=\"num\">" + std::to_string(o.up_to_month) +
         "</td><td class=\"num\">" + std::to_string(o.older) + "</td><td>" + BerlinTime(o.oldest_requested_ms) +
         " Uhr</td></tr>\n";
  }
  return b + "</tbody>\n</table></div>\n";
}

// 403 for an editor of other offices.
Response NotYours(Visit& visit, const echo::Report& r) {
  return ErrorPage(&visit, visit.office, 403, "Keine Berechtigung",
                   "Diese Meldung bearbeitet " + OfficeName(*visit.office.echo_services, r.office) +
                       ". Sie sind für andere Stellen zuständig.");
}

// The same rule once more inside the write, on the report as it is then (another office may
// have passed it on meanwhile).
std::function<Status(const echo::Report&)> HandledBy(const review::Actor& actor) {
  return [actor](const echo::Report& before) {
    return MayHandleReportsOf(actor, before.office)
               ? Status::Ok()
               : Status(ErrorCode::kPermissionDenied, "Diese Meldung ist inzwischen bei einer anderen Stelle.");
  };
}

Response Missing(Visit& visit, const Status& status) {
  if (status.code() == ErrorCode::kNotFound) return ErrorPage(&visit, visit.office, 404, "Nicht gefunden", status.message());
  return StatusPage(visit, status);
}

// The audit entry of a change, inside its write.
Status Record(Visit& visit, sql::Tx& tx, const std::string& action, const echo::Report& before,
              const echo::Report& after, const std::string& reason) {
  auto state = [](const echo::Report& r, const std::string& why) {
    boost::json::object o{{"status", echo::StatusCode(r.status)},
                          {"office", r.office},
                          {"text_hidden", r.text_hidden},
                          {"photos_visible", r.photo_mask}};
    if (!why.empty()) o["reason"] = why;
    return ToJsonText(o);
  };
  return audit::AuditLog::Append(tx, {0, visit.office.now_ms(), visit.actor.audit_id, visit.From(), action,
                                      "meldung:" + std::to_string(after.id), state(before, ""), state(after, reason), ""})
      .status();
}

}  // namespace

Response EchoInboxPage(Visit& visit) {
  if (!visit.office.reports || !visit.office.echo_services) return NotSetUp(visit);
  const echo::Services& services = *visit.office.echo_services;
  const http::Request& r = visit.request;
  echo::ReportQuery q;
  const std::vector<std::string> mine = OfficeScopes(visit.actor);
  std::string stelle = r.Query("stelle");
  if (stelle.empty() && r.Query("stand").empty() && !mine.empty()) stelle = "meine";  // first visit: my offices
  if (stelle == "meine") q.offices = mine.empty() ? std::vector<std::string>{""} : mine;
  else q.office = stelle;
  if (!r.Query("kategorie").empty()) q.service_codes = {r.Query("kategorie")};
  const std::string stand = r.Query("stand").empty() ? "offen" : r.Query("stand");
  if (stand == "offen") q.open = true;
  if (stand == "erledigt") q.open = false;
  q.oldest_first = stand == "offen";
  auto total = visit.office.reports->Count(q);
  if (!total.ok()) return StatusPage(visit, total.status());
  const int64_t pages = std::max<int64_t>(1, (*total + kPerPage - 1) / kPerPage);
  int64_t page_number = 1;
  std::from_chars(r.Query("seite").data(), r.Query("seite").data() + r.Query("seite").size(), page_number);
  page_number = std::clamp<int64_t>(page_number, 1, pages);
  q.limit = kPerPage;
  q.offset = (page_number - 1) * kPerPage;
  auto reports = visit.office.reports->List(q);
  if (!reports.ok()) return StatusPage(visit, reports.status());

  web::Page page;
  page.title = "BürgerEcho: Eingang";
  page.current_nav = "/verwaltung/buergerecho";
  std::string& b = page.body;
  b += "<p>Offene Meldungen stehen nach Wartezeit sortiert: die am längsten wartende zuerst. Wer welche Meldungen wo "
       "übernimmt: <a href=\"/verwaltung/zustaendigkeitsgebiete\">Zuständigkeitsgebiete</a>.</p>\n";
  b += "<form class=\"filter\" method=\"get\" action=\"/verwaltung/buergerecho\">\n";
  std::vector<std::pair<std::string, std::string>> offices = {{"", "alle"}};
  if (!mine.empty()) offices.emplace_back("meine", "meine Stellen");
  for (const echo::Office& o : services.Offices()) offices.emplace_back(o.id, o.name);
  b += SelectField({"stelle", "Stelle"}, offices, stelle, {});
  b += SelectField({"stand", "Stand"}, {{"offen", "offen"}, {"erledigt", "abgeschlossen"}, {"alle", "alle"}}, stand, {});
  std::vector<std::pair<std::string, std::string>> categories = {{"", "alle"}};
  for (const echo::Category& c : services.Categories()) categories.emplace_back(c.code, c.name);
  b += SelectField({"kategorie", "Kategorie"}, categories, r.Query("kategorie"), {});
  b += "<div><button type=\"submit\">Anzeigen</button></div>\n</form>\n";
  b += "<p role=\"status\">" + std::to_string(*total) + (*total == 1 ? " Meldung" : " Meldungen") +
       (pages > 1 ? ", Seite " + std::to_string(page_number) + " von " + std::to_string(pages) : "") + "</p>\n";
  b += "<div class=\"table-wrap\"><table>\n<caption>Meldungen</caption>\n<thead><tr><th scope=\"col\">Nr.</th>"
       "<th scope=\"col\">Kategorie</th><th scope=\"col\">Stelle</th><th scope=\"col\">Stand</th>"
       "<th scope=\"col\">Wartet seit</th><th scope=\"col\">Stadtbezirk</th></tr></thead>\n<tbody>\n";
  const int64_t now = visit.office.now_ms();
  for (const echo::Report& x : *reports) {
    const int64_t days = (now - x.requested_ms) / kDayMs;
    b += "<tr><td><a href=\"/verwaltung/buergerecho/" + std::to_string(x.id) + "\">" + std::to_string(x.id) +
         "</a></td><td>" + Escape(CategoryName(services, x.service_code)) + "</td><td>" +
         Escape(OfficeName(services, x.office)) + "</td><td>" + echo::StatusLabel(x.status) + "</td><td>" +
         (days == 1 ? std::string("1 Tag") : std::to_string(days) + " Tagen") + "</td><td>" + Escape(x.district) +
         "</td></tr>\n";
  }
  b += "</tbody>\n</table></div>\n";
  b += BacklogTable(visit, services);
  if (pages > 1) {
    std::string query = "stand=" + http::PercentEncode(stand);
    if (!stelle.empty()) query += "&stelle=" + http::PercentEncode(stelle);
    if (!r.Query("kategorie").empty()) query += "&kategorie=" + http::PercentEncode(r.Query("kategorie"));
    b += "<nav aria-label=\"Seiten\"><ul class=\"ranges\">";
    for (int64_t i = std::max<int64_t>(1, page_number - 5); i <= std::min(pages, page_number + 5); ++i) {
      b += "<li><a href=\"/verwaltung/buergerecho?" + Escape(query) + "&amp;seite=" + std::to_string(i) + "\"" +
           (i == page_number ? " aria-current=\"page\"" : "") + ">Seite " + std::to_string(i) + "</a></li>";
    }
    b += "</ul></nav>\n";
  }
  return Frame(visit, std::move(page));
}

Response EchoReportPage(Visit& visit) {
  if (!visit.office.reports || !visit.office.echo_services) return NotSetUp(visit);
  auto report = Load(visit);
  if (!report.ok()) return Missing(visit, report.status());
  return Render(visit, *report, {}, 200);
}

Response EchoChangeReport(Visit& visit) {
  if (!visit.office.reports || !visit.office.echo_services) return NotSetUp(visit);
  auto report = Load(visit);
  if (!report.ok()) return Missing(visit, report.status());
  if (!MayHandleReportsOf(visit.actor, report->office)) return NotYours(visit, *report);
  const echo::Services& services = *visit.office.echo_services;
  FieldErrors errors;
  const auto to = echo::StatusFromCode(visit.Form("stand"));
  if (!to) errors["stand"] = "Bitte wählen Sie einen der angebotenen Stände.";
  const std::string& office = visit.Form("stelle");
  if (!services.FindOffice(office)) errors["stelle"] = "Bitte wählen Sie eine der angebotenen Stellen.";
  std::optional<int64_t> duplicate_of;
  if (const std::string& text = visit.Form("duplikat"); !text.empty()) {
    int64_t original = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), original);
    if (ec != std::errc() || p != text.data() + text.size() || original < 1) {
      errors["duplikat"] = "Bitte geben Sie die Nummer der ersten Meldung an (nur Ziffern).";
    } else if (original == report->id) {
      errors["duplikat"] = "Eine Meldung kann keine Wiederholung ihrer selbst sein.";
    } else {
      duplicate_of = original;
    }
  }
  if (!errors.empty()) return Render(visit, *report, errors, 422);
  echo::ReportChange change;
  if (*to != report->status) change.status = *to;
  if (office != report->office) change.office = office;
  if (duplicate_of) {
    change.duplicate_of = duplicate_of;
    if (*to == report->status) change.status = echo::ReportStatus::kDuplicate;
  }
  if (!change.status && !change.office && visit.Form("notiz").empty()) {
    errors["stand"] = "Es ist nichts geändert: Wählen Sie einen anderen Stand oder eine andere Stelle, oder schreiben Sie eine Notiz.";
    return Render(visit, *report, errors, 422);
  }
  if (!change.status && !change.office) change.status = *to;  // a new note on the same state
  change.note = visit.Form("notiz");
  if (change.note.empty() && duplicate_of) {
    change.note = "Dieser Mangel ist bereits gemeldet: Meldung " + std::to_string(*duplicate_of) + ".";
  } else if (change.note.empty()) {
    for (const auto& [state, text] : Templates()) {
      if (state == change.status.value_or(*to)) change.note = text;
    }
    if (change.office) change.note += (change.note.empty() ? "" : " ") + ("Zuständig ist jetzt: " + OfficeName(services, office) + ".");
  }
  const int64_t now = visit.office.now_ms();
  change.check = HandledBy(visit.actor);
  auto changed = visit.office.reports->Apply(
      report->id, std::move(change), visit.actor.audit_id, now,
      [&](sql::Tx& tx, const echo::Report& before, const echo::Report& after) {
        if (Status s = Record(visit, tx, "buergerecho.bearbeitung", before, after, ""); !s.ok()) return s;
        return echo::QueueStatusMail(tx, before, after, services, visit.office.citizens_url, now);
      });
  if (!changed.ok()) {
    if (changed.status().field() == "note") {
      errors["notiz"] = "Die Notiz darf höchstens 2.000 Zeichen lang sein und keine Steuerzeichen enthalten.";
      return Render(visit, *report, errors, 422);
    }
    if (changed.status().field() == "duplicate_of") {
      errors["duplikat"] = "Eine Meldung mit dieser Nummer gibt es nicht.";
      return Render(visit, *report, errors, 422);
    }
    return Missing(visit, changed.status());
  }
  if (visit.office.mail_queued) visit.office.mail_queued();
  return Redirect("/verwaltung/buergerecho/" + std::to_string(report->id) + "?hinweis=meldung");
}

Response EchoModerateReport(Visit& visit) {
  if (!visit.office.reports || !visit.office.echo_services) return NotSetUp(visit);
  auto report = Load(visit);
  if (!report.ok()) return Missing(visit, report.status());
  if (!MayHandleReportsOf(visit.actor, report->office)) return NotYours(visit, *report);
  auto photos = visit.office.reports->PhotoNumbers(report->id);
  if (!photos.ok()) return StatusPage(visit, photos.status());
  echo::ReportChange change;
  change.check = HandledBy(visit.actor);
  const bool hide_text = visit.Form("text") == "aus";
  if (hide_text != report->text_hidden) change.text_hidden = hide_text;
  bool hides = hide_text && !report->text_hidden;
  for (const auto& [n, hidden] : *photos) {
    const bool hide = visit.Form("foto-" + std::to_string(n)) == "aus";
    if (hide != hidden) change.photos_hidden[n] = hide;
    hides = hides || (hide && !hidden);
  }
  change.reason = visit.Form("grund");
  FieldErrors errors;
  if (hides && change.reason.empty()) errors["grund"] = "Bitte nennen Sie den Grund, aus dem Sie etwas ausblenden.";
  if (!errors.empty()) return Render(visit, *report, errors, 422);
  const std::string reason = change.reason;
  // Nothing differs from what the public sees now: nothing to write or to log.
  if (!change.text_hidden && change.photos_hidden.empty()) {
    return Redirect("/verwaltung/buergerecho/" + std::to_string(report->id));
  }
  auto changed = visit.office.reports->Apply(
      report->id, std::move(change), visit.actor.audit_id, visit.office.now_ms(),
      [&](sql::Tx& tx, const echo::Report& before, const echo::Report& after) {
        return Record(visit, tx, "buergerecho.sichtbarkeit", before, after, reason);
      });
  if (!changed.ok()) {
    if (changed.status().field() == "reason") {
      errors["grund"] = "Der Grund darf höchstens 500 Zeichen lang sein und keine Steuerzeichen enthalten.";
      return Render(visit, *report, errors, 422);
    }
    return Missing(visit, changed.status());
  }
  return Redirect("/verwaltung/buergerecho/" + std::to_string(report->id) + "?hinweis=moderiert");
}

}  // namespace datenwerk::verwaltung
