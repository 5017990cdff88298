// BürgerEcho's reports in the one database, on SQLite and on PostgreSQL alike: stored with their
// first history entry, read back by id and token, listed with Open311's filters, newest first.
#include <gtest/gtest.h>

#include "echo/addresses.h"
#include "echo/report_store.h"
#include "database_test.h"

namespace datenwerk::echo {
namespace {

class ReportStoreTest : public testing::DatabaseTest {};

constexpr int64_t kT0 = 1'780'000'000'000;
constexpr int64_t kDay = 86'400'000;

TEST_P(ReportStoreTest, StoresListsAndFilters) {
  auto store = ReportStore::Open(*db_).value();
  // 300 reports over 300 days, alternating categories, one without a position.
  for (int i = 0; i < 300; ++i) {
    NewReport n;
    n.service_code = i % 2 ? "strasse" : "muell";
    n.description = "Meldung " + std::to_string(i) + " – „Ölbachtal“";
    if (i != 7) {
      n.lat = 51.48 + i * 1e-4;
      n.lon = 7.21;
    } else {
      n.address = "Rathausplatz 1";
    }
    n.email = "buerger" + std::to_string(i) + "@example.org";
    n.attributes["art"] = {"sperrmuell", "bauschutt"};
    auto r = store->Create(n, {i % 2 ? "tiefbau" : "usb", "Mitte"}, kT0 + i * kDay);
    ASSERT_TRUE(r.ok()) << r.status().message();
    EXPECT_EQ(r->id, i + 1);
    EXPECT_EQ(r->token.size(), 43u);
  }
  auto one = store->Get(8).value();
  ASSERT_TRUE(one);
  EXPECT_FALSE(one->lat);
  EXPECT_EQ(one->address, "Rathausplatz 1");
  EXPECT_EQ(one->description, "Meldung 7 – „Ölbachtal“");
  EXPECT_EQ(one->email, "buerger7@example.org");
  EXPECT_EQ(one->status, ReportStatus::kReceived);
  EXPECT_EQ(one->attributes.at("art").size(), 2u);
  auto by_token = store->ByToken(one->token).value();
  ASSERT_TRUE(by_token);
  EXPECT_EQ(by_token->id, 8);
  EXPECT_FALSE(store->ByToken("nichts").value());
  EXPECT_FALSE(store->Get(301).value());
  auto history = store->History(8).value();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].at_ms, kT0 + 7 * kDay);

  ReportQuery q;
  q.requested_from_ms = kT0 + 210 * kDay;  // the last 90 days
  auto recent = store->List(q).value();
  ASSERT_EQ(recent.size(), 90u);
  EXPECT_EQ(recent.front().id, 300);  // newest first
  q.service_codes = {"strasse"};
  EXPECT_EQ(store->List(q).value().size(), 45u);
  q.open = false;
  EXPECT_TRUE(store->List(q).value().empty());
  q.open = true;
  EXPECT_EQ(store->List(q).value().size(), 45u);
  q = {};
  q.limit = 100;
  q.offset = 250;
  EXPECT_EQ(store->List(q).value().size(), 50u);
  q = {};
  q.ids = {3, 5, 999};
  q.service_codes = {"gibt-es-nicht"};  // ids override the rest
  EXPECT_EQ(store->List(q).value().size(), 2u);
  q = {};
  q.updated_from_ms = kT0 + 299 * kDay;
  EXPECT_EQ(store->List(q).value().size(), 1u);
}

TEST_P(ReportStoreTest, StaffChangesTheReporterAnswersAndTheKpisFollow) {
  auto store = ReportStore::Open(*db_).value();
  auto file = [&](const char* code, int64_t at) {
    NewReport n;
    n.service_code = code;
    n.address = "Rathausplatz 1";
    return store->Create(n, {"tiefbau", ""}, at).value();
  };
  const Report idea = file("idee", kT0);
  const Report hole = file("strasse", kT0 + 1000);
  file("strasse", kT0 + 2000);
  file("idee", kT0 - 40 * kDay);  // an earlier month

  // Staff: in progress after 3 hours, then done; the reporter reopens within the window.
  ASSERT_TRUE(store->ChangeStatus(hole.id, ReportStatus::kInProgress, "Wir prüfen.", "schluessel:1 Bauhof", kT0 + 1000 + 3 * 3'600'000).ok());
  EXPECT_EQ(store->ChangeStatus(hole.id, ReportStatus::kDone, "x\x01", "s", kT0).status().field(), "note");
  EXPECT_EQ(store->ChangeStatus(999, ReportStatus::kDone, "", "s", kT0).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->Reopen(hole.token, "", kT0 + 4 * 3'600'000, 14 * kDay).status().code(), ErrorCode::kConflict);
  ASSERT_TRUE(store->ChangeStatus(hole.id, ReportStatus::kDone, "Verfüllt.", "schluessel:1 Bauhof", kT0 + 5 * 3'600'000).ok());
  EXPECT_EQ(store->Reopen(hole.token, "", kT0 + 20 * kDay, 14 * kDay).status().code(), ErrorCode::kConflict);  // too late
  auto reopened = store->Reopen(hole.token, "Noch da.", kT0 + 6 * 3'600'000, 14 * kDay);
  ASSERT_TRUE(reopened.ok()) << reopened.status().message();
  EXPECT_EQ(reopened->status, ReportStatus::kReceived);
  EXPECT_EQ(reopened->status_note, "Von der meldenden Person wieder geöffnet: Noch da.");
  EXPECT_EQ(store->Reopen("falsch", "", kT0, 14 * kDay).status().code(), ErrorCode::kNotFound);
  ASSERT_TRUE(store->ChangeStatus(idea.id, ReportStatus::kDone, "Umgesetzt.", "konto:2 anna", kT0 + kDay).ok());
  ASSERT_TRUE(store->ConfirmDone(idea.token, kT0 + 2 * kDay, 14 * kDay).ok());
  auto history = store->History(hole.id).value();
  ASSERT_EQ(history.size(), 4u);
  EXPECT_EQ(history[1].who, "schluessel:1 Bauhof");
  EXPECT_EQ(history[3].who, "");

  // The changes after filing, oldest first, numbered across reports (servicerequestupdates).
  auto updates = store->Updates(kT0 - 100 * kDay, kT0 + 100 * kDay, 1000).value();
  ASSERT_EQ(updates.size(), 5u);
  EXPECT_EQ(updates[0].report_id, hole.id);
  EXPECT_EQ(updates[0].status, ReportStatus::kInProgress);
  EXPECT_EQ(updates[0].note, "Wir prüfen.");
  for (size_t i = 1; i < updates.size(); ++i) EXPECT_GE(updates[i].at_ms, updates[i - 1].at_ms);
  EXPECT_EQ(store->Updates(kT0 - 100 * kDay, kT0 + 100 * kDay, 2).value().size(), 2u);
  EXPECT_TRUE(store->Updates(kT0 + 50 * kDay, kT0 + 100 * kDay, 1000).value().empty());

  auto basis = store->KpiBasisOf(kT0 - kDay, kT0 + 30 * kDay, {"idee"}, {"strasse"});
  ASSERT_TRUE(basis.ok()) << basis.status().message();
  EXPECT_EQ(basis->reports_total, 4);
  EXPECT_EQ(basis->suggestions, 1);
  EXPECT_EQ(basis->suggestions_total, 2);
  EXPECT_EQ(basis->suggestions_done, 1);
  EXPECT_EQ(basis->concerns, 3);
  EXPECT_EQ(basis->defects, 2);
  EXPECT_EQ(basis->reacted_defects, 1);
  EXPECT_DOUBLE_EQ(basis->reaction_hours_sum, 3.0);
  const KpiFigures figures = ComputeEchoKpis(*basis);
  ASSERT_EQ(figures.figures.size(), 5u);
  EXPECT_EQ(figures.figures[1].value, 50);
  EXPECT_EQ(figures.figures[4].value, 3.0);
  EXPECT_TRUE(ComputeEchoKpis({}).figures.empty());  // BürgerEcho not in use: no zeros
  EXPECT_EQ(ComputeEchoKpis({}).not_computed.size(), 5u);
  KpiBasis one;
  one.reports_total = 1;
  EXPECT_EQ(ComputeEchoKpis(one).not_computed.size(), 2u);
}

TEST_P(ReportStoreTest, PhotosAreStoredWithTheReportAndReadBackByteForByte) {
  auto store = ReportStore::Open(*db_).value();
  NewReport n;
  n.service_code = "strasse";
  n.address = "Rathausplatz 1";
  // Bytes as a JPEG has them: every value 0..255, NUL and quotes included.
  std::string bytes;
  for (int i = 0; i < 70'000; ++i) bytes += static_cast<char>(i * 7 % 256);
  const std::string odd("\xFF\xD8\x00\x01'\"\\", 8);
  n.photos = {{bytes, "klein-1", 800, 600}, {odd, "klein-2", 10, 10}};
  auto created = store->Create(n, {"tiefbau", ""}, kT0);
  ASSERT_TRUE(created.ok()) << created.status().message();
  EXPECT_EQ(created->photo_mask, 3u);
  auto read = store->Get(created->id).value();
  ASSERT_TRUE(read);
  EXPECT_EQ(VisiblePhotos(*read), (std::vector<int>{1, 2}));
  EXPECT_EQ(store->PhotoBytes(created->id, 1, false).value(), bytes);
  EXPECT_EQ(store->PhotoBytes(created->id, 1, true).value(), "klein-1");
  EXPECT_EQ(store->PhotoBytes(created->id, 2, false).value(), odd);
  EXPECT_FALSE(store->PhotoBytes(created->id, 3, false).value());
  EXPECT_FALSE(store->PhotoBytes(created->id + 1, 1, false).value());
  // Listed with the rest: the mask comes along.
  ReportQuery all;
  EXPECT_EQ(store->List(all).value().front().photo_mask, 3u);
  EXPECT_EQ(PhotoPath(created->id, 2, true), "/buergerecho/fotos/" + std::to_string(created->id) + "/2-klein.jpg");
}

TEST_P(ReportStoreTest, TheMapGroupsTheReportsInViewIntoCells) {
  auto store = ReportStore::Open(*db_).value();
  // 200 reports in a tight group, 3 alone far apart, 1 without a position, 1 outside the view.
  auto file = [&](double lat, double lon, const std::string& code, int64_t at = kT0) {
    NewReport n;
    n.service_code = code;
    n.lat = lat;
    n.lon = lon;
    ASSERT_TRUE(store->Create(n, {"tiefbau", "Mitte"}, at).ok());
  };
  for (int i = 0; i < 200; ++i) file(51.4800 + (i % 10) * 1e-5, 7.2100 + (i / 10) * 1e-5, "muell");
  file(51.43, 7.12, "strasse", kT0 + 2 * kDay);
  file(51.53, 7.30, "strasse", kT0 + 3 * kDay);
  file(51.45, 7.33, "idee", kT0 + 4 * kDay);
  file(52.52, 13.40, "strasse");
  NewReport addressed;
  addressed.service_code = "muell";
  addressed.address = "Rathausplatz 1";
  ASSERT_TRUE(store->Create(addressed, {"tiefbau", ""}, kT0).ok());
  const MapView view{7.1, 51.4, 7.35, 51.55, 12};
  auto cells = store->MapCells({}, view, GridFor(view));
  ASSERT_TRUE(cells.ok()) << cells.status().message();
  int64_t total = 0, clusters = 0;
  for (const MapCell& c : *cells) {
    total += c.count;
    if (c.count > 1) {
      ++clusters;
      EXPECT_NEAR(c.lat, 51.48, 0.01);
    } else {
      EXPECT_EQ(c.service_code == "muell", false);
      EXPECT_GT(c.id, 200);
    }
  }
  EXPECT_EQ(total, 203);
  EXPECT_EQ(clusters, 1);
  ReportQuery ideas;
  ideas.service_codes = {"idee"};
  auto only = store->MapCells(ideas, view, GridFor(view)).value();
  ASSERT_EQ(only.size(), 1u);
  EXPECT_EQ(only[0].service_code, "idee");
  // At street level the group falls apart into many small cells (about 1.5 m each).
  const MapView street{7.2099, 51.4799, 7.2121, 51.4811, 22};
  auto close = store->MapCells({}, street, GridFor(street)).value();
  int64_t in_view = 0;
  for (const MapCell& c : close) in_view += c.count;
  EXPECT_EQ(in_view, 200);
  EXPECT_GT(close.size(), 40u);
  // Opened again, the store reads the map's index back from the database.
  auto reopened = ReportStore::Open(*db_).value();
  auto again = reopened->MapCells({}, view, GridFor(view)).value();
  int64_t total_again = 0;
  for (const MapCell& c : again) total_again += c.count;
  EXPECT_EQ(total_again, 203);
  EXPECT_EQ(again.size(), cells->size());
  // Filed in [from, to]: the two of the third and fourth day (the index read back keeps the times).
  ReportQuery days;
  days.requested_from_ms = kT0 + 3 * kDay - 1;
  days.requested_to_ms = kT0 + 4 * kDay;
  EXPECT_EQ(reopened->MapCells(days, view, GridFor(view)).value().size(), 2u);
  days.requested_to_ms = kT0 + 4 * kDay - 1;
  EXPECT_EQ(reopened->MapCells(days, view, GridFor(view)).value().size(), 1u);
}

TEST_P(ReportStoreTest, StaffChangesAreOneWriteWithTheirAuditAndMail) {
  auto store = ReportStore::Open(*db_).value();
  NewReport n;
  n.service_code = "strasse";
  n.lat = 51.48;
  n.lon = 7.21;
  n.description = "Kennzeichen AB-CD 123 im Bild";
  n.photos = {{"foto-1", "klein-1", 10, 10}, {"foto-2", "klein-2", 10, 10}};
  const Report filed = store->Create(n, {"tiefbau", "Mitte"}, kT0).value();

  // Another office takes it over: public, in the history, and `also` sees before and after.
  ReportChange move;
  move.office = "usb";
  move.note = "Zuständig ist jetzt der USB.";
  std::string seen;
  auto moved = store->Apply(filed.id, move, "konto:2 eva@bochum.de", kT0 + 1000,
                            [&](sql::Tx&, const Report& before, const Report& after) {
                              seen = before.office + ">" + after.office;
                              return datenwerk::Status::Ok();
                            });
  ASSERT_TRUE(moved.ok()) << moved.status().message();
  EXPECT_EQ(seen, "tiefbau>usb");
  EXPECT_EQ(moved->status, ReportStatus::kReceived);
  EXPECT_EQ(moved->status_note, "Zuständig ist jetzt der USB.");
  auto history = store->History(filed.id).value();
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].who, "konto:2 eva@bochum.de");

  // Moderation: text and photo 2 hidden with a reason; not public, not in the history.
  ReportChange hide;
  hide.text_hidden = true;
  hide.photos_hidden = {{2, true}};
  hide.reason = "Kennzeichen erkennbar";
  auto hidden = store->Apply(filed.id, hide, "konto:2 eva@bochum.de", kT0 + 2000);
  ASSERT_TRUE(hidden.ok()) << hidden.status().message();
  EXPECT_TRUE(hidden->text_hidden);
  EXPECT_EQ(VisiblePhotos(*hidden), (std::vector<int>{1}));
  EXPECT_EQ(hidden->status_note, "Zuständig ist jetzt der USB.");
  EXPECT_FALSE(store->PhotoBytes(filed.id, 2, false).value());
  EXPECT_EQ(store->PhotoNumbers(filed.id).value(), (std::vector<std::pair<int, bool>>{{1, false}, {2, true}}));
  EXPECT_EQ(store->History(filed.id).value().size(), 2u);

  // What `also` refuses is not written; nor is a change of nothing, an unknown photo or report.
  ReportChange done;
  done.status = ReportStatus::kDone;
  auto refused = store->Apply(filed.id, done, "x", kT0 + 3000, [](sql::Tx&, const Report&, const Report&) {
    return datenwerk::Status(ErrorCode::kUnavailable, "mail outbox away");
  });
  EXPECT_EQ(refused.status().code(), ErrorCode::kUnavailable);
  EXPECT_EQ(store->Get(filed.id).value()->status, ReportStatus::kReceived);
  EXPECT_EQ(store->History(filed.id).value().size(), 2u);
  EXPECT_EQ(store->Apply(filed.id, {}, "x", kT0).status().field(), "change");
  ReportChange ghost;
  ghost.photos_hidden = {{3, true}};
  EXPECT_EQ(store->Apply(filed.id, ghost, "x", kT0).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->Apply(999999, done, "x", kT0).status().code(), ErrorCode::kNotFound);
  // The map follows: a closed report filtered as closed.
  ReportQuery closed;
  closed.open = false;
  const MapView city{7.1, 51.4, 7.35, 51.55, 12};
  EXPECT_TRUE(store->MapCells(closed, city, GridFor(city)).value().empty());
  ASSERT_TRUE(store->ChangeStatus(filed.id, ReportStatus::kDone, "", "x", kT0 + 4000).ok());
  EXPECT_EQ(store->MapCells(closed, city, GridFor(city)).value().size(), 1u);
}

TEST_P(ReportStoreTest, NearbyOpenReportsSupportersAndMergedDuplicates) {
  auto store = ReportStore::Open(*db_).value();
  auto file = [&](const std::string& code, double lat, double lon) {
    NewReport n;
    n.service_code = code;
    n.lat = lat;
    n.lon = lon;
    return store->Create(n, {"tiefbau", "Mitte"}, kT0).value();
  };
  const Report a = file("strasse", 51.48000, 7.21000);
  const Report b = file("strasse", 51.48030, 7.21000);  // 33 m north
  const Report far = file("strasse", 51.48100, 7.21000);  // 111 m
  const Report other = file("muell", 51.48001, 7.21000);
  auto near = store->Nearby("strasse", 51.48001, 7.21000, 50, 5).value();
  ASSERT_EQ(near.size(), 2u);
  EXPECT_EQ(near[0].id, a.id);  // nearest first
  EXPECT_EQ(near[1].id, b.id);
  EXPECT_EQ(store->Nearby("strasse", 51.48001, 7.21000, 200, 1).value().size(), 1u);
  EXPECT_TRUE(store->Nearby("gibtsnicht", 51.48, 7.21, 50, 5).value().empty());
  (void)far;
  (void)other;

  EXPECT_EQ(store->Support(a.id, kT0).value().supporters, 1);
  EXPECT_EQ(store->Support(a.id, kT0).value().supporters, 2);
  EXPECT_EQ(store->Support(999999, kT0).status().code(), ErrorCode::kNotFound);
  // Staff merge b into a: b is closed as a duplicate, a gains a supporter; closed reports are no
  // longer offered nearby, nor supported.
  ReportChange merge;
  merge.duplicate_of = a.id;
  merge.note = "Doppelt.";
  auto merged = store->Apply(b.id, merge, "x", kT0 + 1);
  ASSERT_TRUE(merged.ok()) << merged.status().message();
  EXPECT_EQ(merged->status, ReportStatus::kDuplicate);
  EXPECT_EQ(store->Get(a.id).value()->supporters, 3);
  EXPECT_EQ(store->Nearby("strasse", 51.48001, 7.21000, 50, 5).value().size(), 1u);
  EXPECT_EQ(store->Support(b.id, kT0).status().code(), ErrorCode::kConflict);
  ReportChange self;
  self.duplicate_of = a.id;
  EXPECT_EQ(store->Apply(a.id, self, "x", kT0).status().field(), "duplicate_of");
  ReportChange ghost;
  ghost.duplicate_of = 999999;
  EXPECT_EQ(store->Apply(a.id, ghost, "x", kT0).status().code(), ErrorCode::kNotFound);
  EXPECT_EQ(store->Get(a.id).value()->supporters, 3);
}

TEST_P(ReportStoreTest, PersonalDataGoesWhenAReportHasBeenClosedLongEnough) {
  auto store = ReportStore::Open(*db_).value();
  auto file = [&](const std::string& email) {
    NewReport n;
    n.service_code = "muell";
    n.address = "Rathausplatz 1";
    n.email = email;
    n.name = "Anna Muster";
    n.show_name = true;
    return store->Create(n, {"usb", ""}, kT0).value();
  };
  const Report old_done = file("alt@example.org");
  const Report recent_done = file("neu@example.org");
  const Report still_open = file("offen@example.org");
  ASSERT_TRUE(store->ChangeStatus(old_done.id, ReportStatus::kDone, "", "x", kT0 + kDay).ok());
  ASSERT_TRUE(store->ChangeStatus(recent_done.id, ReportStatus::kDone, "", "x", kT0 + 100 * kDay).ok());
  EXPECT_EQ(store->ForgetPersonalData(kT0 + 91 * kDay).value(), 1);
  const Report cleared = *store->Get(old_done.id).value();
  EXPECT_EQ(cleared.email, "");
  EXPECT_EQ(cleared.name, "");
  EXPECT_FALSE(cleared.show_name);
  EXPECT_EQ(cleared.status, ReportStatus::kDone);
  EXPECT_EQ(store->History(old_done.id).value().size(), 2u);
  EXPECT_EQ(store->Get(recent_done.id).value()->email, "neu@example.org");
  EXPECT_EQ(store->Get(still_open.id).value()->email, "offen@example.org");
  // Open reports keep theirs however old: the reporter still hears of them.
  EXPECT_EQ(store->ForgetPersonalData(kT0 + 1000 * kDay).value(), 1);
  EXPECT_EQ(store->Get(still_open.id).value()->email, "offen@example.org");
  EXPECT_EQ(store->ForgetPersonalData(kT0 + 1000 * kDay).value(), 0);
}

TEST_P(ReportStoreTest, AddressesAreReplacedInOneWriteAndFoundByPrefixOrExactly) {
  auto addresses = AddressStore::Open(*db_).value();
  std::vector<Address> houses;
  for (int i = 1; i <= 30; ++i) houses.push_back({"Prüfweg", std::to_string(i), "44787", "Bochum", 51.48 + i * 1e-5, 7.21});
  houses.push_back({"Ümminger Straße", "3a", "44892", "Bochum", 51.47, 7.29});
  ASSERT_TRUE(addresses->Replace(houses).ok());
  EXPECT_EQ(addresses->Search("prüfweg", 100).value().size(), 30u);
  EXPECT_EQ(addresses->Search("Prüfweg 2", 100).value().size(), 11u);  // 2 and 20 to 29: a prefix
  EXPECT_EQ(addresses->Search("Pr", 100).value().size(), 0u);  // under three characters
  auto exact = addresses->Exact("ümminger str. 3 a").value();
  ASSERT_EQ(exact.size(), 1u);
  EXPECT_EQ(exact[0].Label(), "Ümminger Straße 3a, 44892 Bochum");
  EXPECT_TRUE(addresses->Exact("Prüfweg 31").value().empty());
  // Imported again: the old ones are gone.
  ASSERT_TRUE(addresses->Replace({houses.back()}).ok());
  EXPECT_TRUE(addresses->Search("prüfweg", 100).value().empty());
}

INSTANTIATE_TEST_SUITE_P(Stores, ReportStoreTest, ::testing::Values("sqlite", "postgres"));

}  // namespace
}  // namespace datenwerk::echo
