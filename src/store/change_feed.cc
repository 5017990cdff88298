#include "store/change_feed.h"

#include <fcntl.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "store/pg_db.h"

namespace datenwerk::sql {

namespace {

// The channel of the deployment: "datenwerk:" and the schema its tables are in, so that
// deployments in several schemas of one database (and tests running side by side) do not hear
// each other. At most 63 bytes, PostgreSQL's limit for a channel's name.
constexpr char kChannelSql[] = "left('datenwerk:' || coalesce(current_schema(), ''), 63)";

// Listens on the channel of the connection's schema; the channel's name.
Result<std::string> Listen(PGconn* conn) {
  auto rows = pg::Query(conn, (std::string("SELECT ") + kChannelSql).c_str(), {});
  if (!rows.ok()) return rows.status();
  if (rows->size() != 1) return Internal("no channel name");
  const std::string channel = rows->Text(0, 0);
  char* quoted = PQescapeIdentifier(conn, channel.data(), channel.size());
  if (!quoted) return Internal(std::string("cannot quote the channel: ") + PQerrorMessage(conn));
  const std::string listen = std::string("LISTEN ") + quoted;
  PQfreemem(quoted);
  if (Status s = pg::Exec(conn, listen.c_str()); !s.ok()) return s;
  return channel;
}

}  // namespace

Status Announce(Tx& tx, std::string_view topic, std::string_view detail) {
  if (std::string_view(tx.Dialect()) != "postgresql") return Status::Ok();
  if (detail.size() > kMaxDetail) return InvalidArgument("announcement too long", "detail");
  std::string payload(topic);
  if (!detail.empty()) payload.append(" ").append(detail);
  return tx.Query(std::string("SELECT pg_notify(") + kChannelSql + ", $1)", {std::move(payload)}).status();
}

Status AnnounceAll(Tx& tx, std::string_view topic, const std::vector<std::string>& details) {
  if (std::string_view(tx.Dialect()) != "postgresql" || details.empty()) return Status::Ok();
  if (details.size() == 1) return Announce(tx, topic, details.front());
  // A text array literal: each element quoted, with '"' and '\\' escaped.
  std::string array = "{";
  for (const std::string& detail : details) {
    if (detail.size() > kMaxDetail) return InvalidArgument("announcement too long", "detail");
    if (array.size() > 1) array += ',';
    array.append("\"").append(topic).append(" ");
    for (char c : detail) {
      if (c == '"' || c == '\\') array += '\\';
      array += c;
    }
    array += '"';
  }
  array += '}';
  return tx.Query(std::string("SELECT pg_notify(") + kChannelSql + ", p) FROM unnest($1::text[]) AS p", {std::move(array)})
      .status();
}

struct ChangeFeed::Connection {
  pg::ConnHandle conn;
};

ChangeFeed::ChangeFeed(std::string conninfo)
    : conninfo_(std::move(conninfo)), conn_(std::make_unique<Connection>()) {
  if (pipe2(wake_, O_CLOEXEC | O_NONBLOCK) != 0) wake_[0] = wake_[1] = -1;
}

ChangeFeed::~ChangeFeed() {
  stop_ = true;
  if (wake_[1] >= 0) {
    const char byte = 1;
    [[maybe_unused]] auto written = write(wake_[1], &byte, 1);
  }
  if (thread_.joinable()) thread_.join();
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
}

void ChangeFeed::On(const std::string& topic, Handler handler) {
  handlers_.emplace(topic, std::move(handler));
}

Status ChangeFeed::Start() {
  auto conn = pg::Connect(conninfo_);
  if (!conn.ok()) return conn.status();
  auto channel = Listen(conn->get());
  if (!channel.ok()) return channel.status();
  channel_ = std::move(channel).value();
  conn_->conn = std::move(conn).value();
  listening_ = true;
  thread_ = std::thread([this] { Run(); });
  return Status::Ok();
}

void ChangeFeed::Deliver(std::string_view payload) {
  const size_t space = payload.find(' ');
  const std::string_view topic = payload.substr(0, space);
  const std::string_view detail = space == std::string_view::npos ? std::string_view() : payload.substr(space + 1);
  auto [from, to] = handlers_.equal_range(topic);
  for (auto it = from; it != to; ++it) it->second(detail);
  delivered_.fetch_add(1);
}

void ChangeFeed::DeliverAll() {
  for (const auto& [topic, handler] : handlers_) handler({});
}

void ChangeFeed::Run() {
  pthread_setname_np(pthread_self(), "dw-changes");
  using Clock = std::chrono::steady_clock;
  auto heard = Clock::now();
  std::chrono::milliseconds backoff(100);
  while (!stop_) {
    PGconn* conn = conn_->conn.get();
    if (!conn || PQstatus(conn) != CONNECTION_OK) {
      // Lost: connect again (waiting on the stop pipe between tries), then every topic once.
      pollfd wait{wake_[0], POLLIN, 0};
      auto fresh = pg::Connect(conninfo_);
      Result<std::string> channel = fresh.ok() ? Listen(fresh->get()) : Result<std::string>(fresh.status());
      if (channel.ok()) {
        channel_ = std::move(channel).value();
        conn_->conn = std::move(fresh).value();
        listening_ = true;
        reconnects_.fetch_add(1);
        backoff = std::chrono::milliseconds(100);
        spdlog::info("change feed: listening again; every cache reloads");
        DeliverAll();
        heard = Clock::now();
      } else {
        conn_->conn.reset();
        listening_ = false;
        poll(&wait, 1, static_cast<int>(backoff.count()));
        backoff = std::min<std::chrono::milliseconds>(backoff * 2, std::chrono::seconds(2));
      }
      continue;
    }
    pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_[0], POLLIN, 0}};
    const int ready = poll(fds, 2, 1000);
    if (stop_) break;
    if (ready == 0) {
      // Quiet for a while: make sure the server is still there (a vanished primary sends nothing).
      if (Clock::now() - heard > std::chrono::seconds(3)) {
        if (!pg::Exec(conn, "SELECT 1").ok()) {
          conn_->conn.reset();
          listening_ = false;
        }
        heard = Clock::now();
      }
      continue;
    }
    if (!(fds[0].revents & (POLLIN | POLLERR | POLLHUP))) continue;
    heard = Clock::now();
    if (PQconsumeInput(conn) == 0) {
      spdlog::warn("change feed: connection lost: {}", PQerrorMessage(conn));
      conn_->conn.reset();
      listening_ = false;
      continue;
    }
    while (PGnotify* n = PQnotifies(conn)) {
      if (n->relname == channel_) Deliver(n->extra ? n->extra : "");
      PQfreemem(n);
    }
  }
}

}  // namespace datenwerk::sql
