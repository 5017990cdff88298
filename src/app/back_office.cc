#include "app/back_office.h"

#include <spdlog/spdlog.h>
#include <termios.h>
#include <unistd.h>

#include <chrono>
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

std::unique_ptr<AccountParts> OpenAccounts(const Config& config) {
  std::error_code ec;
  std::filesystem::create_directories(config.data_dir, ec);
  auto db = config.database.empty() ? sql::OpenSqlite(config.data_dir + "/backoffice.db", "back office")
                                    : sql::OpenPostgres(config.database);
  if (!db.ok()) {
    spdlog::error("back office: {}", db.status().message());
    return nullptr;
  }
  auto parts = std::make_unique<AccountParts>();
  parts->db = std::move(db).value();
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
  parts->auth = std::make_unique<accounts::Authenticator>(*parts->accounts, *parts->audit, accounts::SessionPolicy{});
  return parts;
}

std::unique_ptr<BackOfficeWiring> BackOfficeWiring::Start(const Config& config, CatalogueService& catalogue,
                                                          const web::PortalOptions& portal) {
  auto wiring = std::make_unique<BackOfficeWiring>();
  wiring->parts_ = OpenAccounts(config);
  if (!wiring->parts_) return nullptr;
  auto reviews = review::ReviewStore::Open(*wiring->parts_->db);
  if (!reviews.ok()) {
    spdlog::error("back office: {}", reviews.status().message());
    return nullptr;
  }
  wiring->reviews_ = std::move(reviews).value();
  wiring->workflow_ = std::make_unique<review::Workflow>(catalogue, *wiring->reviews_, *wiring->parts_->audit,
                                                         *wiring->parts_->db);
  wiring->office_ = std::make_unique<verwaltung::BackOffice>(
      catalogue, *wiring->parts_->auth, *wiring->workflow_, *wiring->parts_->audit, portal, NowMs,
      config.public_url.rfind("https://", 0) == 0);
  return wiring;
}

int CreateUser(const Config& config) {
  auto parts = OpenAccounts(config);
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
