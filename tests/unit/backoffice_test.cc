// Accounts, sessions, the audit trail and the review workflow, on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <functional>

#include "accounts/authenticator.h"
#include "accounts/password.h"
#include "audit/audit_log.h"
#include "review/workflow.h"
#include "store/catalogue_service.h"
#include "test_data.h"

namespace datenwerk {
namespace {

constexpr int64_t kT0 = 1'800'000'000'000;  // 2027-01-15
constexpr const char* kPassword = "korrekt-pferd-batterie";

class FixedClock final : public Clock {
 public:
  std::string NowUtc() const override { return "2026-11-22T10:00:00Z"; }
};

class BackOfficeTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "postgres") {
      DATENWERK_REQUIRE_POSTGRES();
      auto conninfo = testing::FreshPostgresSchema();
      ASSERT_TRUE(conninfo);
      db_ = sql::OpenPostgres(*conninfo).value();
    } else {
      db_ = sql::OpenSqlite(dir_.File("backoffice.db"), "back office").value();
    }
    audit_ = audit::AuditLog::Open(*db_).value();
    accounts_ = accounts::AccountStore::Open(*db_).value();
    auth_ = std::make_unique<accounts::Authenticator>(*accounts_, *audit_, accounts::SessionPolicy{});
  }

  accounts::Account Create(const std::string& email, Role role, std::vector<std::string> scopes = {}) {
    accounts::Account a;
    a.email = email;
    a.name = email.substr(0, email.find('@'));
    a.role = role;
    a.scopes = std::move(scopes);
    auto created = auth_->CreateAccount(a, kPassword, {"test", ""}, kT0);
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? *created : a;
  }

  std::vector<std::string> Actions() {
    std::vector<std::string> out;
    auto entries = audit_->Find({"", "", "", {}, {}, 1000, 0});
    for (const auto& e : entries.value()) out.insert(out.begin(), e.action);
    return out;
  }

  testing::TempDir dir_;
  std::unique_ptr<sql::Connection> db_;
  std::unique_ptr<audit::AuditLog> audit_;
  std::unique_ptr<accounts::AccountStore> accounts_;
  std::unique_ptr<accounts::Authenticator> auth_;
};

TEST_P(BackOfficeTest, AccountsNeedAGoodPasswordAndAUniqueAddress) {
  accounts::Account a;
  a.email = "  Anna.Schmidt@Bochum.DE ";
  a.role = Role::kEditor;
  auto weak = auth_->CreateAccount(a, "kurz", {"test", ""}, kT0);
  EXPECT_EQ(weak.status().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(weak.status().field(), "passwort");
  auto created = auth_->CreateAccount(a, kPassword, {"test", ""}, kT0);
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->email, "anna.schmidt@bochum.de");
  EXPECT_EQ(created->password_hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(auth_->CreateAccount(a, kPassword, {"test", ""}, kT0).status().code(), ErrorCode::kConflict);
  a.email = "keine-adresse";
  EXPECT_EQ(auth_->CreateAccount(a, kPassword, {"test", ""}, kT0).status().field(), "email");
}

TEST_P(BackOfficeTest, SignInGivesASessionAndWrongPairsAllGetTheSameAnswer) {
  Create("anna@bochum.de", Role::kEditor);
  auto session = auth_->SignIn("ANNA@bochum.de", kPassword, "10.0.0.1", kT0);
  ASSERT_TRUE(session.ok()) << session.status().message();
  EXPECT_EQ(session->token.size(), 43u);
  auto resolved = auth_->Resolve(session->token, kT0 + 1000);
  ASSERT_TRUE(resolved.ok() && *resolved);
  EXPECT_EQ((*resolved)->account.email, "anna@bochum.de");
  EXPECT_EQ((*resolved)->csrf, session->csrf);
  auto wrong = auth_->SignIn("anna@bochum.de", "falsches-passwort", "10.0.0.1", kT0);
  auto unknown = auth_->SignIn("niemand@bochum.de", "falsches-passwort", "10.0.0.1", kT0);
  EXPECT_EQ(wrong.status().code(), ErrorCode::kUnauthenticated);
  EXPECT_EQ(wrong.status().message(), unknown.status().message());
  EXPECT_FALSE(*auth_->Resolve("erfunden", kT0));
  auto entries = audit_->Find({"", "anmeldung_fehlgeschlagen", "", {}, {}, 10, 0}).value();
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].from, "10.0.0.1");
}

TEST_P(BackOfficeTest, FailedSignInsLockTheAccountForGrowingDelays) {
  Create("anna@bochum.de", Role::kEditor);
  for (int i = 0; i < 5; ++i) auth_->SignIn("anna@bochum.de", "falsch-falsch-falsch", "", kT0).status();
  auto locked = auth_->SignIn("anna@bochum.de", kPassword, "", kT0 + 1000);
  EXPECT_EQ(locked.status().code(), ErrorCode::kUnavailable);
  EXPECT_NE(locked.status().message().find("Sekunden"), std::string::npos) << locked.status().message();
  // After 30 s the right password works again; the next wrong one counts from zero.
  ASSERT_TRUE(auth_->SignIn("anna@bochum.de", kPassword, "", kT0 + 31'000).ok());
  EXPECT_EQ(accounts_->FindByEmail("anna@bochum.de")->failed_attempts, 0);
  for (int i = 0; i < 6; ++i) auth_->SignIn("anna@bochum.de", "falsch-falsch-falsch", "", kT0 + 40'000).status();
  // Attempts while locked are refused unchecked and do not count (nor lengthen the lock).
  EXPECT_EQ(accounts_->FindByEmail("anna@bochum.de")->failed_attempts, 5);
  EXPECT_EQ(accounts_->FindByEmail("anna@bochum.de")->locked_until_ms, kT0 + 40'000 + 30'000);
  auth_->SignIn("anna@bochum.de", "falsch-falsch-falsch", "", kT0 + 71'000).status();
  EXPECT_EQ(accounts_->FindByEmail("anna@bochum.de")->locked_until_ms, kT0 + 71'000 + 60'000);
  EXPECT_EQ(Actions().back(), "anmeldung_fehlgeschlagen");
  EXPECT_EQ(accounts::LockoutDelayMs(4), 0);
  EXPECT_EQ(accounts::LockoutDelayMs(5), 30'000);
  EXPECT_EQ(accounts::LockoutDelayMs(7), 120'000);
  EXPECT_EQ(accounts::LockoutDelayMs(40), 3'600'000);
}

TEST_P(BackOfficeTest, SessionsEndWhenIdleWhenTooOldAndOnPasswordChange) {
  auto anna = Create("anna@bochum.de", Role::kEditor);
  auto s1 = auth_->SignIn("anna@bochum.de", kPassword, "", kT0).value();
  // Used every 20 minutes, it stays until 10 hours after sign-in.
  for (int64_t t = kT0; t < kT0 + 10 * 3'600'000 - 60'000; t += 20 * 60'000) {
    ASSERT_TRUE(*auth_->Resolve(s1.token, t)) << (t - kT0) / 60'000 << " min";
  }
  EXPECT_FALSE(*auth_->Resolve(s1.token, kT0 + 10 * 3'600'000 + 1));
  auto s2 = auth_->SignIn("anna@bochum.de", kPassword, "", kT0).value();
  EXPECT_FALSE(*auth_->Resolve(s2.token, kT0 + 31 * 60'000));
  auto s3 = auth_->SignIn("anna@bochum.de", kPassword, "", kT0).value();
  ASSERT_TRUE(auth_->SetPassword(anna.id, "ein-ganz-neues-passwort", {"test", ""}, kT0).ok());
  EXPECT_FALSE(*auth_->Resolve(s3.token, kT0 + 1));
  EXPECT_FALSE(auth_->SignIn("anna@bochum.de", kPassword, "", kT0).ok());
  EXPECT_TRUE(auth_->SignIn("anna@bochum.de", "ein-ganz-neues-passwort", "", kT0).ok());
}

TEST_P(BackOfficeTest, DeactivatedAccountsLoseTheirSessionsAndCannotSignIn) {
  auto anna = Create("anna@bochum.de", Role::kReviewer);
  auto session = auth_->SignIn("anna@bochum.de", kPassword, "", kT0).value();
  anna.active = false;
  ASSERT_TRUE(auth_->UpdateAccount(anna, {"admin", ""}, kT0).ok());
  EXPECT_FALSE(*auth_->Resolve(session.token, kT0 + 1));
  EXPECT_EQ(auth_->SignIn("anna@bochum.de", kPassword, "", kT0).status().code(), ErrorCode::kUnauthenticated);
  auto changed = audit_->Find({"", "konto.geaendert", "", {}, {}, 10, 0}).value();
  ASSERT_EQ(changed.size(), 1u);
  EXPECT_NE(changed[0].before.find("\"active\":true"), std::string::npos);
  EXPECT_NE(changed[0].after.find("\"active\":false"), std::string::npos);
  EXPECT_EQ(changed[0].before.find("argon2"), std::string::npos);
}

TEST_P(BackOfficeTest, ResetLinksWorkOnceAndExpire) {
  Create("anna@bochum.de", Role::kEditor);
  EXPECT_FALSE(auth_->CreateReset("niemand@bochum.de", "", kT0).value());
  auto token = auth_->CreateReset("anna@bochum.de", "", kT0).value();
  ASSERT_TRUE(token);
  EXPECT_EQ(auth_->ResetPassword(*token, "kurz", "", kT0).code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(auth_->ResetPassword(*token, "neues-passwort-123", "", kT0 + 1000).ok());
  EXPECT_EQ(auth_->ResetPassword(*token, "noch-ein-passwort-1", "", kT0 + 2000).code(), ErrorCode::kNotFound);
  auto late = auth_->CreateReset("anna@bochum.de", "", kT0).value();
  EXPECT_EQ(auth_->ResetPassword(*late, "noch-ein-passwort-1", "", kT0 + 3'600'001).code(), ErrorCode::kNotFound);
  EXPECT_TRUE(auth_->SignIn("anna@bochum.de", "neues-passwort-123", "", kT0 + 5000).ok());
}

TEST_P(BackOfficeTest, TheAuditTrailIsAChainThatShowsChanges) {
  for (int i = 0; i < 2500; ++i) {
    ASSERT_TRUE(audit_->Append({0, kT0 + i, "konto:1 anna@bochum.de", "10.0.0.1", i % 2 ? "a" : "b",
                                "kpi:X/wert:" + std::to_string(i), "", "{\"value\":1}", ""})
                    .ok());
  }
  auto verified = audit_->Verify().value();
  EXPECT_TRUE(verified.ok);
  EXPECT_EQ(verified.entries, 2500);
  EXPECT_EQ(audit_->Count({"", "a", "", {}, {}, 100, 0}).value(), 1250);
  EXPECT_EQ(audit_->Count({"", "", "kpi:X/wert:24", {}, {}, 100, 0}).value(), 111);  // 24, 240-249, 2400-2499
  EXPECT_EQ(audit_->Count({"", "", "kpi:X/wert_2", {}, {}, 100, 0}).value(), 0);  // "_" is no wildcard
  EXPECT_EQ(audit_->Count({"anna%", "", "", {}, {}, 100, 0}).value(), 0);
  EXPECT_EQ(audit_->Find({"", "", "", kT0 + 10, kT0 + 20, 100, 0}).value().size(), 10u);
  // Append-only: the database refuses changes.
  EXPECT_FALSE(db_->Query("UPDATE audit_log SET after_state = '{}' WHERE seq = 7").ok());
  EXPECT_FALSE(db_->Query("DELETE FROM audit_log WHERE seq = 7").ok());
  // Someone with the database's owner rights removes the guard and edits an entry: it shows.
  if (std::string(db_->Dialect()) == "sqlite") {
    ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_log_no_update").ok());
  } else {
    ASSERT_TRUE(db_->Exec("DROP TRIGGER audit_log_no_change ON audit_log").ok());
  }
  ASSERT_TRUE(db_->Query("UPDATE audit_log SET after_state = '{\"value\":2}' WHERE seq = 2222").ok());
  verified = audit_->Verify().value();
  EXPECT_FALSE(verified.ok);
  EXPECT_EQ(verified.first_broken_seq, 2222);
}

// The review workflow over Bochum's catalogue.
class ReviewTest : public BackOfficeTest {
 protected:
  void SetUp() override {
    BackOfficeTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // The catalogue in the back office's database: publishing is one transaction.
    catalogue_ = std::make_unique<CatalogueService>(OpenCatalogueStore(*db_).value(), clock_);
    ASSERT_TRUE(catalogue_->ImportDirectory(std::string(DATENWERK_SOURCE_DIR) + "/data/bochum").ok());
    reviews_ = review::ReviewStore::Open(*db_).value();
    workflow_ = std::make_unique<review::Workflow>(*catalogue_, *reviews_, *audit_);
    editor_ = review::Actor::Of(Create("eva@bochum.de", Role::kEditor, {"NMU"}));
    reviewer_ = review::Actor::Of(Create("rolf@bochum.de", Role::kReviewer));
    other_reviewer_ = review::Actor::Of(Create("rita@bochum.de", Role::kReviewer));
  }

  review::ValueDraft NewValue(const std::string& kpi, const std::string& date, double value) {
    review::ValueDraft d;
    d.value.kpi_id = kpi;
    d.value.date = date;
    d.value.value = value;
    d.value.source = "Umweltamt";
    return d;
  }
  size_t PublishedCount(const std::string& kpi) { return catalogue_->Snapshot()->ValuesOf(kpi).size(); }

  FixedClock clock_;
  std::unique_ptr<CatalogueService> catalogue_;
  std::unique_ptr<review::ReviewStore> reviews_;
  std::unique_ptr<review::Workflow> workflow_;
  review::Actor editor_, reviewer_, other_reviewer_;
};

constexpr const char* kKlimaKpi = "SCBOK-NMU-KK-K1.2";  // theme NMU
constexpr const char* kOtherKpi = "SCBOK-ZI-NI-K1.1";   // theme ZI

TEST_P(ReviewTest, EditorsEnterDraftsForTheirThemesOnly) {
  const size_t before = PublishedCount(kKlimaKpi);
  auto draft = workflow_->Propose(editor_, NewValue(kKlimaKpi, "2025-06-30", 40), "10.0.0.2", kT0);
  ASSERT_TRUE(draft.ok()) << draft.status().message();
  EXPECT_EQ(draft->state, review::DraftState::kOpen);
  EXPECT_EQ(PublishedCount(kKlimaKpi), before);  // a draft is not public
  EXPECT_EQ(workflow_->Propose(editor_, NewValue(kOtherKpi, "2025-06-30", 40), "", kT0).status().code(),
            ErrorCode::kPermissionDenied);
  review::Actor viewer = review::Actor::Of(Create("vera@bochum.de", Role::kViewer));
  EXPECT_EQ(workflow_->Propose(viewer, NewValue(kKlimaKpi, "2025-06-30", 40), "", kT0).status().code(),
            ErrorCode::kPermissionDenied);
  EXPECT_EQ(workflow_->Propose(editor_, NewValue("NO-KPI", "2025-06-30", 40), "", kT0).status().code(),
            ErrorCode::kNotFound);
  EXPECT_EQ(workflow_->Propose(editor_, NewValue(kKlimaKpi, "2025-02-30", 40), "", kT0).status().code(),
            ErrorCode::kInvalidArgument);
  // One value per date: a second draft, or a value for a published date, is refused by the date.
  EXPECT_EQ(workflow_->Propose(editor_, NewValue(kKlimaKpi, "2025-06-30", 41), "", kT0).status().field(), "datum");
  EXPECT_EQ(workflow_->Propose(editor_, NewValue(kKlimaKpi, "2022-06-30", 41), "", kT0).status().field(), "datum");
}

TEST_P(ReviewTest, AnotherPersonPublishesAndOnlyThenTheValueIsPublic) {
  const size_t before = PublishedCount(kKlimaKpi);
  auto draft = workflow_->Propose(reviewer_, NewValue(kKlimaKpi, "2025-06-30", 40), "", kT0).value();
  auto own = workflow_->Publish(reviewer_, draft.id, "", "", kT0);
  EXPECT_EQ(own.status().code(), ErrorCode::kPermissionDenied);
  EXPECT_NE(own.status().message().find("Vier-Augen"), std::string::npos);
  EXPECT_EQ(workflow_->Publish(editor_, draft.id, "", "", kT0).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_EQ(PublishedCount(kKlimaKpi), before);
  auto published = workflow_->Publish(other_reviewer_, draft.id, "", "10.0.0.3", kT0 + 5);
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_GT(published->value.id, 0);
  EXPECT_EQ(PublishedCount(kKlimaKpi), before + 1);
  const KpiValue* latest = catalogue_->Snapshot()->LatestValue(kKlimaKpi);
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(*latest->value, 40);
  EXPECT_EQ(latest->entered_by, reviewer_.name);
  EXPECT_EQ(workflow_->Publish(other_reviewer_, draft.id, "", "", kT0).status().code(), ErrorCode::kConflict);
  auto actions = Actions();
  EXPECT_EQ(actions.back(), "wert.veroeffentlicht.add");
  auto entry = audit_->Find({"", "wert.veroeffentlicht.add", "", {}, {}, 1, 0}).value().at(0);
  EXPECT_EQ(entry.actor, other_reviewer_.audit_id);
  EXPECT_EQ(entry.from, "10.0.0.3");
  EXPECT_NE(entry.after.find("\"value\":40"), std::string::npos) << entry.after;
}

// Drafts, catalogue and audit trail are one transaction of one database: a statement failing at
// publication (injected by a trigger) in the catalogue, or after it in the audit trail, leaves all
// three as they were, and the next publication on the same connection is whole.
TEST_P(ReviewTest, APublicationThatFailsAtAnyStepChangesNothingAnywhere) {
  const bool sqlite = std::string(db_->Dialect()) == "sqlite";
  const char* dates[] = {"2025-06-30", "2025-07-31"};
  int step = 0;
  for (const char* table : {"kpi_value", "audit_log"}) {
    SCOPED_TRACE(table);
    const size_t before = PublishedCount(kKlimaKpi);
    auto draft = workflow_->Propose(editor_, NewValue(kKlimaKpi, dates[step++], 40), "", kT0).value();
    const size_t audited = Actions().size();
    ASSERT_TRUE(db_->Exec(sqlite ? std::string("CREATE TRIGGER injected BEFORE INSERT ON ") + table +
                                       " BEGIN SELECT RAISE(ABORT, 'injected fault'); END"
                                 : std::string("CREATE OR REPLACE FUNCTION injected() RETURNS trigger LANGUAGE plpgsql "
                                               "AS $$ BEGIN RAISE EXCEPTION 'injected fault'; END $$; "
                                               "CREATE TRIGGER injected BEFORE INSERT ON ") +
                                       table + " FOR EACH ROW EXECUTE FUNCTION injected()")
                    .ok());
    auto failed = workflow_->Publish(reviewer_, draft.id, "", "", kT0 + 5);
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(reviews_->Find(draft.id).value().state, review::DraftState::kOpen);  // the draft is still open
    EXPECT_EQ(Actions().size(), audited);                                          // no audit entry
    ASSERT_TRUE(catalogue_->Reload().ok());
    EXPECT_EQ(PublishedCount(kKlimaKpi), before);  // nothing public, not even in the database
    ASSERT_TRUE(db_->Exec(sqlite ? std::string("DROP TRIGGER injected") : std::string("DROP TRIGGER injected ON ") + table).ok());
    auto published = workflow_->Publish(reviewer_, draft.id, "", "", kT0 + 6);
    ASSERT_TRUE(published.ok()) << published.status().message();
    EXPECT_EQ(reviews_->Find(draft.id).value().state, review::DraftState::kPublished);
    EXPECT_EQ(Actions().size(), audited + 1);
    EXPECT_EQ(PublishedCount(kKlimaKpi), before + 1);
  }
}

TEST_P(ReviewTest, SelfPublishingIsAllowedPerTheme) {
  ASSERT_TRUE(reviews_->SetSelfPublish("NMU", true).ok());
  auto draft = workflow_->Propose(reviewer_, NewValue(kKlimaKpi, "2025-06-30", 40), "", kT0).value();
  EXPECT_TRUE(workflow_->Publish(reviewer_, draft.id, "", "", kT0).ok());
  auto other = workflow_->Propose(reviewer_, NewValue(kOtherKpi, "2025-06-30", 40), "", kT0).value();
  EXPECT_EQ(workflow_->Publish(reviewer_, other.id, "", "", kT0).status().code(), ErrorCode::kPermissionDenied);
}

TEST_P(ReviewTest, CorrectionsAndWithdrawalsAreReviewedToo) {
  auto added = workflow_->Propose(editor_, NewValue(kKlimaKpi, "2025-06-30", 40), "", kT0).value();
  int64_t id = workflow_->Publish(reviewer_, added.id, "", "", kT0).value().value.id;
  review::ValueDraft correction = NewValue(kKlimaKpi, "2025-06-30", 42);
  correction.action = review::DraftAction::kCorrect;
  correction.value.id = id;
  EXPECT_EQ(workflow_->Propose(editor_, correction, "", kT0).status().field(), "begruendung");
  correction.reason = "Zählfehler im Juni";
  auto proposed = workflow_->Propose(editor_, correction, "", kT0);
  ASSERT_TRUE(proposed.ok()) << proposed.status().message();
  EXPECT_EQ(workflow_->Propose(editor_, correction, "", kT0).status().code(), ErrorCode::kConflict);
  EXPECT_EQ(workflow_->Reject(reviewer_, proposed->id, "", "", kT0).status().code(), ErrorCode::kInvalidArgument);
  ASSERT_TRUE(workflow_->Publish(reviewer_, proposed->id, "", "", kT0).ok());
  EXPECT_EQ(*catalogue_->Snapshot()->LatestValue(kKlimaKpi)->value, 42);
  auto before = audit_->Find({"", "wert.veroeffentlicht.correct", "", {}, {}, 1, 0}).value().at(0);
  EXPECT_NE(before.before.find("\"value\":40"), std::string::npos);
  EXPECT_NE(before.after.find("\"value\":42"), std::string::npos);

  review::ValueDraft withdrawal;
  withdrawal.action = review::DraftAction::kWithdraw;
  withdrawal.value.kpi_id = kKlimaKpi;
  withdrawal.value.id = id;
  withdrawal.reason = "Doppelt erfasst";
  auto w = workflow_->Propose(editor_, withdrawal, "", kT0).value();
  EXPECT_EQ(w.value.date, "2025-06-30");  // carries the value it withdraws
  auto rejected = workflow_->Reject(reviewer_, w.id, "Bitte Quelle nennen", "", kT0);
  ASSERT_TRUE(rejected.ok());
  EXPECT_EQ(workflow_->Publish(other_reviewer_, w.id, "", "", kT0).status().code(), ErrorCode::kConflict);
  auto again = workflow_->Propose(editor_, withdrawal, "", kT0).value();
  const size_t count = PublishedCount(kKlimaKpi);
  ASSERT_TRUE(workflow_->Publish(other_reviewer_, again.id, "", "", kT0).ok());
  EXPECT_EQ(PublishedCount(kKlimaKpi), count - 1);
  // The history of the value stays readable: four drafts, each decided.
  auto history = reviews_->Query({std::nullopt, kKlimaKpi, -1, 100, true}).value();
  EXPECT_EQ(history.size(), 4u);
}

TEST_P(ReviewTest, PublishingAValueMovesTheSurveyPlanOn) {
  ASSERT_TRUE(reviews_->SetPlan({kKlimaKpi, editor_.account_id, review::Cadence::kQuarterly, "2026-12-31"}).ok());
  auto draft = workflow_->Propose(editor_, NewValue(kKlimaKpi, "2026-12-31", 40), "", kT0).value();
  ASSERT_TRUE(workflow_->Publish(reviewer_, draft.id, "", "", kT0).ok());  // kT0 is 2027-01-15
  EXPECT_EQ(reviews_->Plans().value().at(0).next_due, "2027-03-31");
}

TEST_P(ReviewTest, ImportsBecomeDraftsAllOrNothingAndArePublishedTogether) {
  std::vector<review::ValueDraft> rows;
  for (int month = 1; month <= 12; ++month) {
    char date[16];
    std::snprintf(date, sizeof date, "2025-%02d-28", month);
    rows.push_back(NewValue(kKlimaKpi, date, 30 + month));
  }
  auto bad = rows;
  bad.push_back(NewValue(kOtherKpi, "2025-12-31", 1));  // outside Eva's field
  EXPECT_EQ(workflow_->ProposeBatch(editor_, bad, "import-1", "", kT0).status().code(), ErrorCode::kPermissionDenied);
  EXPECT_TRUE(reviews_->Query({review::DraftState::kOpen, "", -1, 100, false}).value().empty());
  auto audit_before = audit_->Count({}).value();
  EXPECT_EQ(audit_before, 3);  // the three accounts, nothing of the failed import
  auto stored = workflow_->ProposeBatch(editor_, rows, "import-2", "", kT0);
  ASSERT_TRUE(stored.ok()) << stored.status().message();
  EXPECT_EQ(reviews_->OpenBatches().value().at(0).drafts, 12);
  const size_t before = PublishedCount(kKlimaKpi);
  EXPECT_EQ(workflow_->PublishBatch(editor_, "import-2", "", kT0).status().code(), ErrorCode::kPermissionDenied);
  auto published = workflow_->PublishBatch(reviewer_, "import-2", "", kT0);
  ASSERT_TRUE(published.ok()) << published.status().message();
  EXPECT_EQ(published->size(), 12u);
  EXPECT_EQ(PublishedCount(kKlimaKpi), before + 12);
  EXPECT_EQ(audit_->Count({"", "wert.veroeffentlicht.add", "", {}, {}, 100, 0}).value(), 12);
  EXPECT_TRUE(reviews_->OpenBatches().value().empty());
  EXPECT_EQ(workflow_->PublishBatch(reviewer_, "import-2", "", kT0).status().code(), ErrorCode::kNotFound);
}

TEST_P(ReviewTest, MeasureStatusAndTextsChangeAtOnceWithHistoryAndAudit) {
  review::StatusNote note{"NMU-KK-1", "Umgesetzt, im Regelbetrieb", "2026-11-01", "Abnahme erfolgt", "", 0};
  ASSERT_TRUE(workflow_->SetMeasureStatus(editor_, note, "10.0.0.9", kT0).ok());
  EXPECT_EQ(catalogue_->Snapshot()->FindMeasure("NMU-KK-1")->status, "Umgesetzt, im Regelbetrieb");
  EXPECT_EQ(catalogue_->Snapshot()->FindMeasure("NMU-KK-1")->stage(), MeasureStage::kImplemented);
  auto history = reviews_->StatusNotes("NMU-KK-1", 10).value();
  ASSERT_EQ(history.size(), 1u);
  EXPECT_EQ(history[0].author, editor_.name);
  EXPECT_EQ(history[0].date, "2026-11-01");
  note.measure_id = "ZI-NI-1";
  EXPECT_EQ(workflow_->SetMeasureStatus(editor_, note, "", kT0).code(), ErrorCode::kPermissionDenied);
  note.measure_id = "NMU-KK-1";
  note.status = "Irgendwie";  // not a status the portal can count: nothing changes, not even the history
  EXPECT_EQ(workflow_->SetMeasureStatus(editor_, note, "", kT0).code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(reviews_->StatusNotes("NMU-KK-1", 10).value().size(), 1u);
  ASSERT_TRUE(workflow_->SetMeasureTexts(editor_, "NMU-KK-1", "Neuer Name", "Neue Zusammenfassung", "", kT0).ok());
  EXPECT_EQ(catalogue_->Snapshot()->FindMeasure("NMU-KK-1")->name, "Neuer Name");
  ASSERT_TRUE(workflow_->SetKpiName(editor_, kKlimaKpi, "Zahl der Klimasensoren", "", kT0).ok());
  EXPECT_EQ(catalogue_->Snapshot()->FindKpi(kKlimaKpi)->name, "Zahl der Klimasensoren");
  EXPECT_EQ(workflow_->SetKpiName(editor_, kOtherKpi, "x", "", kT0).code(), ErrorCode::kPermissionDenied);
  auto entries = audit_->Find({"", "massnahme.status", "", {}, {}, 10, 0}).value();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].from, "10.0.0.9");
  EXPECT_NE(entries[0].after.find("Abnahme erfolgt"), std::string::npos);
  EXPECT_EQ(audit_->Count({"", "kpi.text", "", {}, {}, 10, 0}).value(), 1);
  EXPECT_TRUE(audit_->Verify().value().ok);
}

INSTANTIATE_TEST_SUITE_P(Stores, BackOfficeTest, ::testing::Values("sqlite", "postgres"));
INSTANTIATE_TEST_SUITE_P(Stores, ReviewTest, ::testing::Values("sqlite", "postgres"));

TEST(PlanTest, CadencesAddMonthsAndClampTheDay) {
  EXPECT_EQ(review::AddCadence("2024-01-31", review::Cadence::kMonthly), "2024-02-29");
  EXPECT_EQ(review::AddCadence("2023-01-31", review::Cadence::kMonthly), "2023-02-28");
  EXPECT_EQ(review::AddCadence("2024-11-30", review::Cadence::kQuarterly), "2025-02-28");
  EXPECT_EQ(review::AddCadence("2024-02-29", review::Cadence::kYearly), "2025-02-28");
  EXPECT_EQ(review::AddCadence("kein Datum", review::Cadence::kYearly), "");
  review::KpiPlan plan{"K", 1, review::Cadence::kYearly, "2026-12-01"};
  EXPECT_EQ(review::DueState(plan, "2026-12-02"), "overdue");
  EXPECT_EQ(review::DueState(plan, "2026-11-20"), "due");
  EXPECT_EQ(review::DueState(plan, "2026-10-01"), "");
}

TEST(EmailTest, AddressesAreTrimmedLowerCasedAndChecked) {
  EXPECT_EQ(accounts::NormaliseEmail(" Anna@Bochum.de\t").value(), "anna@bochum.de");
  for (const char* bad : {"", "anna", "@bochum.de", "anna@", "anna@bochum", "a@b@c.de", "anna @bochum.de",
                          "anna@bochum.de.", "<anna@bochum.de>"}) {
    EXPECT_FALSE(accounts::NormaliseEmail(bad).ok()) << bad;
  }
  EXPECT_FALSE(accounts::NormaliseEmail(std::string(250, 'a') + "@b.de").ok());
}

TEST(PasswordTest, HashesVerifyAndTokensAreRandom) {
  auto hash = accounts::HashPassword("ein langes passwort");
  ASSERT_TRUE(hash.ok());
  EXPECT_TRUE(accounts::VerifyPassword(*hash, "ein langes passwort"));
  EXPECT_FALSE(accounts::VerifyPassword(*hash, "ein langes Passwort"));
  EXPECT_FALSE(accounts::VerifyPassword("kein hash", "x"));
  EXPECT_FALSE(accounts::VerifyPassword("", ""));
  EXPECT_NE(accounts::RandomToken(), accounts::RandomToken());
  EXPECT_TRUE(accounts::SameSecret("abc", "abc"));
  EXPECT_FALSE(accounts::SameSecret("abc", "abd"));
  EXPECT_FALSE(accounts::SameSecret("", ""));
  EXPECT_EQ(accounts::CheckPasswordRules("äöüäöüäöüäö").code(), ErrorCode::kInvalidArgument);  // 11 characters
  EXPECT_TRUE(accounts::CheckPasswordRules("äöüäöüäöüäöü").ok());
}

}  // namespace
}  // namespace datenwerk
