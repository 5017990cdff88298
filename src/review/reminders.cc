#include "review/reminders.h"

#include <map>

#include "core/dates.h"
#include "core/url.h"

namespace datenwerk::review {

std::vector<mail::Mail> ReminderMails(const Catalogue& catalogue, const std::vector<KpiPlan>& plans,
                                      const std::vector<accounts::Account>& accounts, const std::string& today,
                                      const std::string& base_url, int64_t now_ms) {
  std::map<int64_t, std::vector<std::pair<const Kpi*, const KpiPlan*>>> due_by_owner;
  for (const KpiPlan& plan : plans) {
    const Kpi* kpi = catalogue.FindKpi(plan.kpi_id);
    if (!kpi || plan.owner_id == 0 || DueState(plan, today).empty()) continue;
    due_by_owner[plan.owner_id].emplace_back(kpi, &plan);
  }
  std::vector<mail::Mail> mails;
  for (const accounts::Account& account : accounts) {
    auto it = due_by_owner.find(account.id);
    if (it == due_by_owner.end() || !account.active) continue;
    std::string body = "Guten Tag " + account.name + ",\n\nfür diese Indikatoren ist eine Erhebung fällig:\n\n";
    for (const auto& [kpi, plan] : it->second) {
      body += "- " + kpi->name + " (" + kpi->id + "): " +
              (DueState(*plan, today) == "overdue" ? "überfällig seit " : "fällig am ") + GermanDate(plan->next_due) +
              ", " + CadenceLabel(plan->cadence) + "\n  " + base_url + "/verwaltung/indikatoren/" + PercentEncode(kpi->id) +
              "\n";
    }
    body += "\nBitte tragen Sie die Werte in der Verwaltung ein; sie werden nach der Prüfung veröffentlicht.\n\n"
            "Diese Nachricht kommt automatisch jeden Tag, solange Werte fällig sind.\n";
    mails.push_back({0, account.email, "Fällige Werte: " + std::to_string(it->second.size()) + " Indikatoren", body,
                     "erinnerung:" + std::to_string(account.id) + ":" + today, now_ms});
  }
  return mails;
}

}  // namespace datenwerk::review
