// The start page per person: what is due, own drafts, what waits for review, what was published.
#include "core/dates.h"
#include "verwaltung/pages.h"
#include "web/html.h"

namespace datenwerk::verwaltung {

using http::Response;
using web::Escape;

namespace {

std::string DueTable(Visit& visit, const Catalogue& c, const std::string& today) {
  auto plans = visit.office.workflow.store().Plans();
  if (!plans.ok()) return "<p>Die Erhebungsplanung kann gerade nicht gelesen werden.</p>\n";
  std::string rows;
  int count = 0;
  for (const review::KpiPlan& plan : *plans) {
    if (plan.owner_id != visit.actor.account_id) continue;
    const Kpi* k = c.FindKpi(plan.kpi_id);
    if (!k) continue;
    std::string due = review::DueState(plan, today, 30);
    if (due.empty()) continue;
    ++count;
    rows += "<tr><td><a href=\"" + web::Url("/verwaltung/indikatoren/", k->id) + "\">" + Escape(k->name) +
            "</a></td><td>" + review::CadenceLabel(plan.cadence) + "</td><td>" + GermanDate(plan.next_due) +
            "</td><td>" + (due == "overdue" ? "<strong>überfällig</strong>" : "fällig") + "</td></tr>\n";
  }
  if (count == 0) return "<p>Zurzeit sind keine Werte fällig, für die Sie zuständig sind.</p>\n";
  return "<div class=\"table-wrap\"><table>\n<caption>Fällige und überfällige Erhebungen (" + std::to_string(count) +
         ")</caption>\n<thead><tr><th scope=\"col\">Indikator</th><th scope=\"col\">Turnus</th>"
         "<th scope=\"col\">Fällig am</th><th scope=\"col\">Stand</th></tr></thead>\n<tbody>\n" +
         rows + "</tbody>\n</table></div>\n";
}

}  // namespace

Response StartPage(Visit& visit) {
  CatalogueSnapshot c = visit.office.catalogue.Snapshot();
  const std::string today = FormatRfc3339Ms(visit.office.now_ms()).substr(0, 10);
  web::Page page;
  page.title = "Verwaltung";
  page.current_nav = "/verwaltung";
  page.lead = "Guten Tag, " + Escape(visit.session.account.name) + ".";
  std::string& b = page.body;
  b += Notice(visit.request);

  int mine = 0, measures = 0;
  for (const Kpi& k : c->data().kpis) mine += review::MayEnter(visit.actor, *c, k);
  for (const Measure& m : c->data().measures) measures += review::MayEnterMeasure(visit.actor, *c, m);
  b += "<h2>Ihre Indikatoren und Maßnahmen</h2>\n<p>Sie können Werte für <a href=\"/verwaltung/indikatoren\">" +
       std::to_string(mine) + " Indikatoren</a> erfassen und den Stand von <a href=\"/verwaltung/massnahmen\">" +
       std::to_string(measures) + " Maßnahmen</a> pflegen.</p>\n";
  b += "<h2>Fällige Werte</h2>\n" + DueTable(visit, *c, today);

  auto& store = visit.office.workflow.store();
  auto own_open = store.Query({review::DraftState::kOpen, "", visit.actor.account_id, 50, false});
  auto own_rejected = store.Query({review::DraftState::kRejected, "", visit.actor.account_id, 10, true});
  b += "<h2>Ihre Entwürfe</h2>\n";
  if (own_open.ok()) b += DraftTable(*c, *own_open, "Ihre Entwürfe, die auf Prüfung warten", true);
  if (own_rejected.ok() && !own_rejected->empty()) b += DraftTable(*c, *own_rejected, "Zuletzt abgelehnt: bitte ansehen", true);

  if (RoleAllows(visit.actor.role, Role::kReviewer)) {
    auto open = store.Query({review::DraftState::kOpen, "", -1, 500, false});
    if (open.ok()) {
      std::vector<review::ValueDraft> others;
      for (const auto& d : *open) {
        if (d.author_id != visit.actor.account_id) others.push_back(d);
      }
      b += "<h2>Warten auf Ihre Prüfung</h2>\n" + DraftTable(*c, others, "Entwürfe anderer, die auf Prüfung warten", true);
    }
  }
  auto recent = store.Query({review::DraftState::kPublished, "", -1, 10, true});
  b += "<h2>Zuletzt veröffentlicht</h2>\n";
  if (recent.ok()) b += DraftTable(*c, *recent, "Zuletzt veröffentlichte Änderungen", true);
  return Frame(visit, std::move(page));
}

}  // namespace datenwerk::verwaltung
