// The back office wired into the server: accounts, sessions, drafts and the audit trail in the
// deployment's one database (beside the catalogue, so publishing is one transaction), the review
// workflow over the catalogue, and the /verwaltung routes. Also the `user create` command.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

#include "accounts/authenticator.h"
#include "app/config.h"
#include "audit/audit_log.h"
#include "mail/relay.h"
#include "review/workflow.h"
#include "verwaltung/backoffice.h"

namespace datenwerk::app {

// The account side alone (for `datenwerk user create`).
struct AccountParts {
  sql::Connection* db = nullptr;            // borrowed: the one database
  std::unique_ptr<audit::AuditLog> audit;  // the rest borrow audit: declared after it
  std::unique_ptr<accounts::AccountStore> accounts;
  std::unique_ptr<accounts::Directory> directory;  // null without --ldap-url
  std::unique_ptr<accounts::Authenticator> auth;
};

// nullptr (logged) when the tables cannot be made. Borrows `db`.
std::unique_ptr<AccountParts> OpenAccounts(const Config& config, sql::Connection& db);

// Also runs the mail relay and, every few minutes, the daily reminders (each person once a day,
// from --reminder-hour Berlin time on).
class BackOfficeWiring {
 public:
  // nullptr (logged) when the stores cannot be opened. Borrows catalogue and portal; the back
  // office's tables live in the catalogue's database. `port` is
  // the bound port, for links in mails when no --public-url is set. `holds(job)` says whether this
  // node does "mail" (the relay) and "reminders" now (cluster/lease_keeper.h).
  static std::unique_ptr<BackOfficeWiring> Start(const Config& config, CatalogueService& catalogue,
                                                 const web::PortalOptions& portal,
                                                 std::function<bool(const std::string& job)> holds);
  // Another node queued mail: the relay looks at once (if this node sends).
  void WakeRelay();
  // Starts the relay and the reminder thread (after the server listens).
  void StartMail(uint16_t port);
  ~BackOfficeWiring();
  // Queues today's reminders if it is late enough; the number queued.
  int QueueReminders();
  void RegisterRoutes(http::Router& router) { verwaltung::RegisterBackOfficeRoutes(router, *office_); }
  // The open data's curation in the back office (before RegisterRoutes).
  void SetOpenData(opendata::CurationStore* curations,
                   std::function<Result<opendata::Inventory::Generated>()> datasets) {
    office_->curations = curations;
    office_->open_datasets = std::move(datasets);
  }
  void SetEcho(echo::ReportStore* reports, std::shared_ptr<const echo::Services> services, std::string citizens_url,
               echo::OfficeAreaSet* office_areas = nullptr, echo::OfficeAreaStore* office_area_store = nullptr) {
    office_->office_areas = office_areas;
    office_->office_area_store = office_area_store;
    office_->reports = reports;
    office_->echo_services = std::move(services);
    office_->citizens_url = std::move(citizens_url);
  }
  audit::AuditLog& audit() { return *parts_->audit; }
  http::Response TooLarge(size_t limit) const { return verwaltung::TooLargePage(*office_, limit); }

 private:
  std::unique_ptr<AccountParts> parts_;
  std::unique_ptr<review::ReviewStore> reviews_;
  std::unique_ptr<review::Workflow> workflow_;
  std::unique_ptr<mail::Outbox> outbox_;
  std::unique_ptr<mail::Relay> relay_;
  std::unique_ptr<verwaltung::BackOffice> office_;
  CatalogueService* catalogue_ = nullptr;
  int reminder_hour_ = 7;
  std::function<bool(const std::string&)> holds_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false, woken_ = false;
  std::thread reminders_;
};

// `datenwerk user create --role R --email E [--name N] [--directory]`: the password comes from
// standard input (a prompt without echo on a terminal). Prints what it did; exit code 0 on success.
int CreateUser(const Config& config);

}  // namespace datenwerk::app
