#include "app/back_office.h"

#include "app/database.h"

#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>

#include "app/database.h"
#include "core/berlin_time.h"
#include "directory/ldap_directory.h"
#include "review/reminders.h"
#include <filesystem>
#include <iostream>

namespace datenwerk::app {

namespace {

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// One line from standard input; without echo when it is a terminal.
std::string ReadPassword() {
  const bool terminal = isatty(STDIN_FILENO);
  termios saved{};
  if (terminal) {
    std::cerr << "Passwort (mindestens 12 Zeichen): " << std::flush;
    tcgetattr(STDIN_FILENO, &saved);
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  std::string line;
  std::getline(std::cin, line);
  if (terminal) {
    tcsetattr(STDIN_FILENO, TCSANOW, &saved);
    std::cerr << "\n";
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

std::unique_ptr<AccountParts> OpenAccounts(const Config& config, sql::Connection& db) {
  auto parts = std::make_unique<AccountParts>();
  parts->db = &db;
  auto audit = audit::AuditLog::Open(*parts->db);
  auto accounts = accounts::AccountStore::Open(*parts->db);
  for (const Status& s : {audit.status(), accounts.status()}) {
    if (!s.ok()) {
      spdlog::error("back office: {}", s.message());
      return nullptr;
    }
  }
  parts->audit = std::move(audit).value();
  parts->accounts = std::move(accounts).value();
  if (!config.ldap_url.empty()) {
    parts->directory = std::make_unique<directory::LdapDirectory>(directory::LdapOptions{
        config.ldap_url, config.ldap_start_tls, config.ldap_base_dn, config.ldap_bind_dn, config.ldap_bind_password,
        config.ldap_filter});
  }
  parts->auth = std::make_unique<accounts::Authenticator>(*parts->accounts, *parts->audit, accounts::SessionPolicy{},
                                                          parts->directory.get());
  return parts;
}

std::unique_ptr<BackOfficeWiring> BackOfficeWiring::Start(const Config& config, CatalogueService& catalogue,
                                                          const web::PortalOptions& portal,
                                                          std::function<bool(const std::string& job)> holds) {
  auto wiring = std::make_unique<BackOfficeWiring>();
  wiring->holds_ = std::move(holds);
  wiring->parts_ = OpenAccounts(config, catalogue.database());
  if (!wiring->parts_) return nullptr;
  auto reviews = review::ReviewStore::Open(*wiring->parts_->db);
  if (!reviews.ok()) {
    spdlog::error("back office: {}", reviews.status().message());
    return nullptr;
  }
  wiring->reviews_ = std::move(reviews).value();
  wiring->workflow_ = std::make_unique<review::Workflow>(catalogue, *wiring->reviews_, *wiring->parts_->audit);
  auto outbox = mail::Outbox::Open(*wiring->parts_->db);
  if (!outbox.ok()) {
    spdlog::error("back office: {}", outbox.status().message());
    return nullptr;
  }
  wiring->outbox_ = std::move(outbox).value();
  wiring->relay_ = std::make_unique<mail::Relay>(
      *wiring->outbox_,
      mail::RelayOptions{.url = config.smtp_url, .from = config.smtp_from, .user = config.smtp_user,
                         .password = config.smtp_password, .active = [w = wiring.get()] { return w->holds_("mail"); }},
      NowMs);
  // Braces, not make_unique's parentheses: clang 14 (the sanitizer build) lacks C++20's
  // parenthesised aggregate initialisation.
  wiring->office_ = std::make_unique<verwaltung::BackOffice>(verwaltung::BackOffice{
      catalogue, *wiring->parts_->auth, *wiring->workflow_, *wiring->parts_->audit, portal, NowMs,
      config.public_url.rfind("https://", 0) == 0, wiring->outbox_.get(),
      [relay = wiring->relay_.get()] { relay->Wake(); }, config.public_url,
      [w = wiring.get()] {
        {
          std::lock_guard lock(w->mu_);
          w->woken_ = true;
        }
        w->wake_.notify_all();
      }});
  wiring->catalogue_ = &catalogue;
  wiring->reminder_hour_ = config.reminder_hour;
  if (config.smtp_url.empty()) spdlog::info("back office: no --smtp-url, mail waits in the outbox");
  return wiring;
}

void BackOfficeWiring::WakeRelay() { relay_->Wake(); }

void BackOfficeWiring::StartMail(uint16_t port) {
  if (office_->base_url.empty()) office_->base_url = "http://localhost:" + std::to_string(port);
  relay_->Start();
  reminders_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stopping_) {
      lock.unlock();
      if (QueueReminders() > 0) relay_->Wake();
      lock.lock();
      wake_.wait_for(lock, std::chrono::minutes(5), [this] { return stopping_ || woken_; });
      woken_ = false;
    }
  });
}

BackOfficeWiring::~BackOfficeWiring() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (reminders_.joinable()) reminders_.join();
  if (relay_) relay_->Stop();
}

int BackOfficeWiring::QueueReminders() {
  if (!holds_("reminders")) return 0;
  const int64_t now = NowMs();
  const std::string local = BerlinTime(now);  // "20.04.2024, 14:05"
  if (std::stoi(local.substr(12, 2)) < reminder_hour_) return 0;
  const std::string today = local.substr(6, 4) + "-" + local.substr(3, 2) + "-" + local.substr(0, 2);
  auto plans = reviews_->Plans();
  auto accounts = parts_->accounts->All();
  if (!plans.ok() || !accounts.ok()) {
    spdlog::warn("reminders: {}", (plans.ok() ? accounts.status() : plans.status()).message());
    return 0;
  }
  int queued = 0;
  for (const mail::Mail& m :
       review::ReminderMails(*catalogue_->Snapshot(), *plans, *accounts, today, office_->base_url, now)) {
    auto added = outbox_->Enqueue(m);
    if (!added.ok()) {
      spdlog::warn("reminders: {}", added.status().message());
      return queued;
    }
    queued += *added;
  }
  if (queued > 0) spdlog::info("reminders: {} mails queued for {}", queued, today);
  return queued;
}

int CreateUser(const Config& config) {
  auto db = OpenDatabase(config);
  if (!db) return 1;
  auto parts = OpenAccounts(config, *db);
  if (!parts) return 1;
  accounts::Account account;
  account.email = config.user_email;
  account.name = config.user_name;
  account.role = ParseRole(config.user_role).value_or(Role::kViewer);
  account.directory = config.user_directory;
  account.scopes = config.user_scopes;
  std::string password = account.directory ? "" : ReadPassword();
  auto created = parts->auth->CreateAccount(account, password, {"kommandozeile", ""}, NowMs());
  if (!created.ok()) {
    std::fprintf(stderr, "Konto nicht angelegt: %s\n", created.status().message().c_str());
    return 1;
  }
  std::fprintf(stderr, "Konto %s (%s, Rolle %s) angelegt. Anmeldung unter /verwaltung/anmelden.\n",
               created->email.c_str(), created->name.c_str(), RoleName(created->role));
  return 0;
}

}  // namespace datenwerk::app
