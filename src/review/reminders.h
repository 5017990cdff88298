// The daily reminder: one mail per person who owns KPIs whose survey is due within two weeks or
// overdue, listing them with their due dates and a link to each. Pure.
#pragma once

#include <string>
#include <vector>

#include "accounts/account.h"
#include "core/catalogue.h"
#include "mail/outbox.h"
#include "review/plan.h"

namespace datenwerk::review {

// The mails for `today` (ISO date); `base_url` is how staff reach the server ("https://…").
// Each mail's key makes it once per person and day. Deactivated accounts get none.
std::vector<mail::Mail> ReminderMails(const Catalogue& catalogue, const std::vector<KpiPlan>& plans,
                                      const std::vector<accounts::Account>& accounts, const std::string& today,
                                      const std::string& base_url, int64_t now_ms);

}  // namespace datenwerk::review
