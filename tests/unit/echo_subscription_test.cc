// Area subscriptions: the checks, which reports an area holds, the German mails (no personal
// data, no descriptions), and the store on SQLite and PostgreSQL alike: double opt-in, at most
// one confirmation mail a day per address, digests claimed once, the address erased on leaving.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "echo/subscription_store.h"
#include "mail/outbox.h"
#include "database_test.h"

namespace datenwerk::echo {
namespace {

constexpr int64_t kT0 = 1'780'000'000'000;
constexpr int64_t kDay = 86'400'000;
const std::vector<std::string> kDistricts = {"Mitte", "Wattenscheid", "Nord", "Ost", "Süd", "Südwest"};

std::shared_ptr<const Services> Shipped() {
  return Services::Load(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum/buergerecho").value();
}

SubscriptionArea Circle(double lat, double lon, double radius) {
  SubscriptionArea a;
  a.lat = lat;
  a.lon = lon;
  a.radius_m = radius;
  return a;
}

Report At(int64_t id, double lat, double lon, std::string district) {
  Report r;
  r.id = id;
  r.service_code = "strasse";
  r.lat = lat;
  r.lon = lon;
  r.district = std::move(district);
  return r;
}

TEST(SubscriptionTest, ChecksTheAddressAndTheArea) {
  SubscriptionArea mitte;
  mitte.district = "Mitte";
  auto ok = CheckNewSubscription(" anna@example.org ", mitte, kDistricts, "tok", kT0);
  ASSERT_TRUE(ok.ok()) << ok.status().message();
  EXPECT_EQ(ok->email, "anna@example.org");
  EXPECT_EQ(ok->area.district, "Mitte");
  EXPECT_FALSE(ok->confirmed_ms);
  EXPECT_EQ(ok->last_sent_ms, kT0);

  EXPECT_EQ(CheckNewSubscription("", mitte, kDistricts, "t", kT0).status().field(), "email");
  EXPECT_EQ(CheckNewSubscription("anna", mitte, kDistricts, "t", kT0).status().field(), "email");
  EXPECT_EQ(CheckNewSubscription("a@b.de\nBcc: x@y.de", mitte, kDistricts, "t", kT0).status().field(), "email");
  SubscriptionArea elsewhere;
  elsewhere.district = "Mitte'; DROP TABLE echo_subscriptions; --";
  EXPECT_EQ(CheckNewSubscription("a@b.de", elsewhere, kDistricts, "t", kT0).status().field(), "bezirk");
  EXPECT_EQ(CheckNewSubscription("a@b.de", {}, kDistricts, "t", kT0).status().field(), "bezirk");
  EXPECT_EQ(CheckNewSubscription("a@b.de", Circle(51.48, 7.21, 300), kDistricts, "t", kT0).status().field(), "umkreis");
  EXPECT_EQ(CheckNewSubscription("a@b.de", Circle(NAN, 7.21, 500), kDistricts, "t", kT0).status().field(), "bezirk");
  EXPECT_EQ(CheckNewSubscription("a@b.de", Circle(91, 7.21, 500), kDistricts, "t", kT0).status().field(), "bezirk");
  EXPECT_TRUE(CheckNewSubscription("a@b.de", Circle(51.48, 7.21, 2000), kDistricts, "t", kT0).ok());
}

TEST(SubscriptionTest, AnAreaHoldsItsDistrictOrItsCircle) {
  SubscriptionArea mitte;
  mitte.district = "Mitte";
  EXPECT_TRUE(InArea(mitte, At(1, 51.0, 7.0, "Mitte")));
  EXPECT_FALSE(InArea(mitte, At(1, 51.0, 7.0, "Nord")));
  // 0.0045° of latitude are about 501 m; 0.0044° about 490 m.
  const SubscriptionArea circle = Circle(51.4818, 7.2162, 500);
  EXPECT_TRUE(InArea(circle, At(1, 51.4818 + 0.0044, 7.2162, "Mitte")));
  EXPECT_FALSE(InArea(circle, At(1, 51.4818 + 0.0045, 7.2162, "Mitte")));
  // East-west distances shrink with the latitude's cosine (0.0071° of longitude ≈ 493 m here).
  EXPECT_TRUE(InArea(circle, At(1, 51.4818, 7.2162 + 0.0071, "Mitte")));
  EXPECT_FALSE(InArea(circle, At(1, 51.4818, 7.2162 + 0.0073, "Mitte")));
  Report nowhere = At(1, 0, 0, "Mitte");
  nowhere.lat.reset();
  nowhere.lon.reset();
  EXPECT_FALSE(InArea(circle, nowhere));
  EXPECT_EQ(AreaLabel(mitte), "Stadtbezirk Mitte");
  EXPECT_EQ(AreaLabel(circle), "500 m um 51,48180 N, 7,21620 O");
}

TEST(SubscriptionTest, TheDigestListsWhatHappenedInTheAreaWithoutPersonalData) {
  auto services = Shipped();
  Subscription s;
  s.id = 4;
  s.token = "geheim";
  s.email = "anna@example.org";
  s.area.district = "Mitte";
  s.last_sent_ms = kT0;
  Activity a;
  EXPECT_FALSE(DigestMail(s, a, *services, "https://stadt.example", kT0 + kDay));
  Report filed = At(10, 51.48, 7.21, "Mitte");
  filed.requested_ms = kT0 + 1000;
  filed.description = "Loch vor Haus 5, gesehen von Max Mustermann";
  filed.email = "melder@example.org";
  filed.name = "Max Mustermann";
  filed.address = "Kortumstraße 5";
  Report before = filed;
  before.requested_ms = kT0 - 1;  // filed before the period: not new
  before.id = 9;
  Report other = At(11, 51.5, 7.3, "Nord");
  other.requested_ms = kT0 + 2000;
  a.filed = {filed, other, before};
  a.changed = {before, other};
  a.changes = {{kT0 + 5000, ReportStatus::kInProgress, "", "", 1, 9},
               {kT0 + 6000, ReportStatus::kDone, "Erledigt", "sachbearbeiter", 2, 9},
               {kT0 + 7000, ReportStatus::kDone, "", "", 3, 11}};
  auto m = DigestMail(s, a, *services, "https://stadt.example", kT0 + kDay);
  ASSERT_TRUE(m);
  EXPECT_EQ(m->to, "anna@example.org");
  EXPECT_EQ(m->subject, "BürgerEcho Stadtbezirk Mitte: 1 neu, 1 geändert");
  EXPECT_NE(m->body.find("Meldung 10 (Straßenschaden oder Schlagloch): Eingegangen, Kortumstraße 5\n"
                         "  https://stadt.example/buergerecho/meldungen/10"),
            std::string::npos)
      << m->body;
  EXPECT_NE(m->body.find("Meldung 9 (Straßenschaden oder Schlagloch): jetzt Erledigt"), std::string::npos) << m->body;
  EXPECT_EQ(m->body.find("jetzt In Bearbeitung"), std::string::npos) << "only the last change of a report";
  EXPECT_EQ(m->body.find("Meldung 11"), std::string::npos) << "another district";
  for (const char* secret : {"Mustermann", "melder@", "sachbearbeiter", "Loch vor"}) {
    EXPECT_EQ(m->body.find(secret), std::string::npos) << secret;
  }
  EXPECT_NE(m->body.find("https://stadt.example/buergerecho/benachrichtigungen/abmelden/geheim"), std::string::npos);
  // Nothing twice: the next digest starts after this one.
  s.last_sent_ms = kT0 + kDay;
  EXPECT_FALSE(DigestMail(s, a, *services, "https://stadt.example", kT0 + 2 * kDay));

  // Many reports: the first 30 and a link to the rest.
  s.last_sent_ms = kT0;
  a = {};
  for (int i = 0; i < 45; ++i) {
    Report r = At(100 + i, 51.48, 7.21, "Mitte");
    r.requested_ms = kT0 + 1000 + i;
    a.filed.push_back(r);
  }
  m = DigestMail(s, a, *services, "https://stadt.example", kT0 + kDay);
  ASSERT_TRUE(m);
  EXPECT_NE(m->body.find("Meldung 129 "), std::string::npos);
  EXPECT_EQ(m->body.find("Meldung 130 "), std::string::npos);
  EXPECT_NE(m->body.find("und weitere. Alle Meldungen: https://stadt.example/buergerecho?bezirk=Mitte"), std::string::npos);
}

class SubscriptionStoreTest : public testing::DatabaseTest {
 protected:
  void SetUp() override {
    testing::DatabaseTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    outbox_ = mail::Outbox::Open(*db_).value();
    store_ = SubscriptionStore::Open(*db_).value();
  }
  Subscription Make(const std::string& email, SubscriptionArea area, int64_t now, const std::string& token) {
    return CheckNewSubscription(email, std::move(area), kDistricts, token, now).value();
  }
  int64_t MailsTo(const std::string& to) {
    int64_t n = 0;
    const std::vector<mail::Mail> mails = outbox_->Recent(100000).value();
    for (const mail::Mail& m : mails) n += m.to == to;
    return n;
  }
  std::unique_ptr<mail::Outbox> outbox_;
  std::unique_ptr<SubscriptionStore> store_;
};

TEST_P(SubscriptionStoreTest, DoubleOptInOneMailADayAndLeavingErasesTheAddress) {
  SubscriptionArea mitte;
  mitte.district = "Mitte";
  const Subscription s = Make("Anna@Example.org", mitte, kT0, "t1");
  ASSERT_TRUE(store_->Add(s, ConfirmationMail(s, "https://stadt.example", kT0)).value());
  EXPECT_EQ(MailsTo("Anna@Example.org"), 1);
  EXPECT_NE(outbox_->Recent(1).value()[0].body.find("https://stadt.example/buergerecho/benachrichtigungen/bestaetigen/t1"),
            std::string::npos);
  // The same address again within a day (any case, any area): nothing stored, nothing sent.
  const Subscription again = Make("anna@example.ORG", Circle(51.48, 7.21, 500), kT0 + 1000, "t2");
  EXPECT_FALSE(store_->Add(again, ConfirmationMail(again, "x", kT0 + 1000)).value());
  EXPECT_FALSE(store_->ByToken("t2").value());
  EXPECT_EQ(MailsTo("anna@example.ORG"), 0);
  // Unconfirmed: not due.
  EXPECT_TRUE(store_->Due(kT0 + 10 * kDay, kDay, 100).value().empty());
  EXPECT_EQ(store_->Confirm("unbekannt", kT0).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->Confirm(std::string(200, 'x'), kT0).status().code(), ErrorCode::kNotFound);
  auto confirmed = store_->Confirm("t1", kT0 + kDay);
  ASSERT_TRUE(confirmed.ok()) << confirmed.status().message();
  EXPECT_EQ(*confirmed->confirmed_ms, kT0 + kDay);
  EXPECT_EQ(confirmed->last_sent_ms, kT0 + kDay);
  EXPECT_EQ(store_->Confirm("t1", kT0 + 3 * kDay)->confirmed_ms, kT0 + kDay) << "confirming twice changes nothing";
  EXPECT_EQ(store_->CountConfirmed().value(), 1);
  EXPECT_TRUE(store_->Due(kT0 + kDay + kDay - 1, kDay, 100).value().empty());
  auto due = store_->Due(kT0 + 2 * kDay, kDay, 100).value();
  ASSERT_EQ(due.size(), 1u);

  // Two nodes with the same due list: the digest is recorded (and queued) once.
  mail::Mail digest;
  digest.to = due[0].email;
  digest.subject = "Digest";
  digest.key = "digest-1";
  EXPECT_TRUE(store_->RecordDigest(due[0], kT0 + 2 * kDay, digest).value());
  digest.key = "digest-2";
  EXPECT_FALSE(store_->RecordDigest(due[0], kT0 + 2 * kDay + 5, digest).value());
  EXPECT_EQ(MailsTo("Anna@Example.org"), 2);
  EXPECT_TRUE(store_->Due(kT0 + 2 * kDay, kDay, 100).value().empty());

  // A day later another confirmation may go out; after 7 days unconfirmed ones are erased.
  const Subscription later = Make("anna@example.org", Circle(51.48, 7.21, 500), kT0 + kDay + 1, "t3");
  EXPECT_TRUE(store_->Add(later, ConfirmationMail(later, "x", kT0 + kDay + 1)).value());
  EXPECT_EQ(store_->Confirm("t3", kT0 + kDay + 1 + kConfirmWindowMs + 1).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store_->ForgetUnconfirmed(kT0 + kDay + 2).value(), 1);
  EXPECT_FALSE(store_->ByToken("t3").value());
  EXPECT_TRUE(store_->ByToken("t1").value()) << "confirmed ones stay";

  EXPECT_TRUE(store_->Remove("t1").ok());
  EXPECT_FALSE(store_->ByToken("t1").value());
  EXPECT_EQ(store_->Remove("t1").code(), ErrorCode::kNotFound);
  EXPECT_FALSE(store_->RecordDigest(due[0], kT0 + 5 * kDay, digest).value()) << "a removed subscription gets nothing";
  auto rows = sql::ReadQuery(*db_, "SELECT COUNT(*) FROM echo_subscriptions WHERE lower(email) = 'anna@example.org'");
  EXPECT_EQ(rows->at(0).Int(0), 0);
}

TEST_P(SubscriptionStoreTest, OneAddressHoldsAtMostTenSubscriptions) {
  for (int i = 0; i < 12; ++i) {
    const int64_t at = kT0 + i * 2 * kDay;
    const Subscription s = Make("viel@example.org", Circle(51.48, 7.21, 250), at, "v" + std::to_string(i));
    const bool stored = store_->Add(s, ConfirmationMail(s, "x", at)).value();
    EXPECT_EQ(stored, i < kMaxSubscriptionsPerAddress) << i;
    if (stored) {
      ASSERT_TRUE(store_->Confirm(s.token, at + 1).ok());
    }
  }
  EXPECT_EQ(store_->CountConfirmed().value(), kMaxSubscriptionsPerAddress);
}

// A city's day: 600 confirmed subscribers (districts and circles) and 1,500 reports of which 300
// change state; each subscriber's digest lists exactly the reports of their area.
TEST_P(SubscriptionStoreTest, ADayOfDigestsForManySubscribers) {
  auto services = Shipped();
  auto reports = ReportStore::Open(*db_).value();
  const double kLat0 = 51.44, kLon0 = 7.15;
  std::vector<Subscription> subs;
  for (int i = 0; i < 600; ++i) {
    SubscriptionArea area = i % 2 ? Circle(kLat0 + (i % 40) * 0.002, kLon0 + (i % 30) * 0.003, kSubscriptionRadii[i % 4])
                                  : SubscriptionArea{kDistricts[i % 6], {}, {}, 0};
    Subscription s = Make("abo" + std::to_string(i) + "@example.org", area, kT0, "s" + std::to_string(i));
    ASSERT_TRUE(store_->Add(s, ConfirmationMail(s, "x", kT0)).value());
    subs.push_back(store_->Confirm(s.token, kT0).value());
  }
  std::vector<Report> filed;
  for (int i = 0; i < 1500; ++i) {
    NewReport n;
    n.service_code = "strasse";
    n.description = "Schaden " + std::to_string(i);
    n.lat = kLat0 + (i * 7919 % 1000) * 0.0001;
    n.lon = kLon0 + (i * 104729 % 1000) * 0.0001;
    n.email = "melder" + std::to_string(i) + "@example.org";
    filed.push_back(reports->Create(n, {"tiefbau", kDistricts[i % 6]}, kT0 + 1000 + i * 50'000).value());
  }
  for (int i = 0; i < 300; ++i) {
    ASSERT_TRUE(reports->ChangeStatus(filed[i * 5].id, ReportStatus::kInProgress, "", "amt", kT0 + 80'000'000 + i).ok());
  }
  const auto queued = SendDigests(*store_, *reports, *services, "https://stadt.example", kT0 + kDay, kDay);
  ASSERT_TRUE(queued.ok()) << queued.status().message();
  std::map<std::string, const mail::Mail*> by_address;
  const auto mails = outbox_->Recent(100000).value();
  for (const mail::Mail& m : mails) {
    if (m.subject.starts_with("BürgerEcho ")) by_address[m.to] = &m;
  }
  EXPECT_EQ(*queued, static_cast<int64_t>(by_address.size()));
  int checked = 0;
  for (const Subscription& s : subs) {
    size_t expect_new = 0, expect_changed = 0;
    for (size_t i = 0; i < filed.size(); ++i) {
      if (!InArea(s.area, filed[i])) continue;
      ++expect_new;
      expect_changed += i % 5 == 0;
    }
    const auto it = by_address.find(s.email);
    if (expect_new == 0) {
      EXPECT_EQ(it, by_address.end()) << s.email;
      continue;
    }
    ASSERT_NE(it, by_address.end()) << s.email;
    EXPECT_EQ(it->second->subject, "BürgerEcho " + AreaLabel(s.area) + ": " + std::to_string(expect_new) + " neu, " +
                                       std::to_string(expect_changed) + " geändert");
    ++checked;
  }
  EXPECT_GT(checked, 300);
  // District subscribers hear of each report of their district: 250 each.
  EXPECT_EQ(by_address.at("abo0@example.org")->subject, "BürgerEcho Stadtbezirk Mitte: 250 neu, 50 geändert");
  // The round is recorded: a second one at the same time sends nothing.
  EXPECT_EQ(SendDigests(*store_, *reports, *services, "https://stadt.example", kT0 + kDay, kDay).value(), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, SubscriptionStoreTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace datenwerk::echo
