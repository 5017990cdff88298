// Citizens subscribe to an area (a district, or a circle around a position) and get a digest by
// mail of the reports filed there and of their changes: every `interval` (a day by default),
// only when something happened. Double opt-in: a subscription counts only once its address has
// confirmed it through the link mailed to it; every mail carries the link that ends it.
//
// These are the values and the pure parts (checks, which reports an area holds, the German
// mails); subscription_store.h keeps them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "echo/report.h"
#include "echo/report_store.h"
#include "echo/services.h"
#include "mail/outbox.h"

namespace datenwerk::echo {

// The circles a citizen may choose, in metres.
inline constexpr double kSubscriptionRadii[] = {250, 500, 1000, 2000};
// How many subscriptions one address may hold (confirmed or not).
inline constexpr int64_t kMaxSubscriptionsPerAddress = 10;
// Unconfirmed subscriptions (an address and nothing else) are erased after this.
inline constexpr int64_t kConfirmWindowMs = 7LL * 86'400'000;
// A digest lists at most this many reports and links to the list for the rest.
inline constexpr size_t kDigestMaxItems = 30;

struct SubscriptionArea {
  std::string district;            // a district's name, or
  std::optional<double> lat, lon;  // the middle of a circle (WGS 84)
  double radius_m = 0;             // and its radius, one of kSubscriptionRadii
};

struct Subscription {
  int64_t id = 0;
  std::string token;  // secret: confirms and ends the subscription (in the mails' links)
  std::string email;
  SubscriptionArea area;
  int64_t created_ms = 0;
  std::optional<int64_t> confirmed_ms;
  int64_t last_sent_ms = 0;  // the digest covers what happened after this
};

// Checks and normalises a new subscription (the token is the caller's, accounts::RandomToken):
// an e-mail address ("email"), either a district among `districts` ("bezirk") or a position
// with an offered radius ("umkreis"). kInvalidArgument naming the field.
Result<Subscription> CheckNewSubscription(std::string email, SubscriptionArea area,
                                          const std::vector<std::string>& districts, std::string token,
                                          int64_t now_ms);

// Whether the report lies in the area: by its district, or within the circle.
bool InArea(const SubscriptionArea& area, const Report& report);
// "Stadtbezirk Bochum-Mitte" or "500 m um 51,48180 N, 7,21620 O".
std::string AreaLabel(const SubscriptionArea& area);

// The mail asking the address to confirm. `base_url`: "https://…" without a trailing slash.
mail::Mail ConfirmationMail(const Subscription& s, const std::string& base_url, int64_t now_ms);

// What happened in a period, for every digest of that period at once.
struct Activity {
  std::vector<Report> filed;           // reports filed in the period
  std::vector<ReportEvent> changes;    // changes of state or office in the period, oldest first
  std::vector<Report> changed;         // the reports those changes belong to (any order)
};

// The digest of what happened in the area after s.last_sent_ms, up to `now_ms`; nullopt when
// nothing did. Lists no descriptions or names: the category, the state, the address as given
// and the link.
std::optional<mail::Mail> DigestMail(const Subscription& s, const Activity& activity, const Services& services,
                                     const std::string& base_url, int64_t now_ms);

}  // namespace datenwerk::echo
