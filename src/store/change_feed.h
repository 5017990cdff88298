// What one node changed, told to the others, so that their caches (the catalogue snapshot, the
// device profiles, the responsibility areas, ...) follow within a second. On PostgreSQL a write
// announces a topic with NOTIFY inside its transaction: PostgreSQL delivers it to every listening
// node when, and only when, the transaction commits, in commit order. On SQLite there is one node
// and nothing to tell: Announce writes nothing and no feed listens.
//
// The channel is the deployment's own: named after the schema its tables are in, so that several
// deployments (or tests) in one database do not hear each other.
//
// A listening node holds one connection of its own (LISTEN). When that connection is lost,
// notifications may be lost with it: after the reconnect every topic is delivered once, as if
// everything had changed. Topics are short words ("catalogue", "devices"); an announcement may
// carry a detail (which series got readings, ...), at most kMaxDetail bytes. A node hears its own
// announcements too: handlers reload, which is harmless twice, and so no node needs to know
// which database sessions are its own.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "core/status.h"
#include "store/sql_connection.h"

namespace datenwerk::sql {

// Inside a write transaction: tells the other nodes, once it commits, that `topic` changed, and
// how (`detail`, kInvalidArgument when longer than kMaxDetail; a topic has no space). Nothing on
// SQLite.
Status Announce(Tx& tx, std::string_view topic, std::string_view detail = {});
// Several announcements of one topic in one statement (one round trip).
Status AnnounceAll(Tx& tx, std::string_view topic, const std::vector<std::string>& details);
// PostgreSQL's payload limit (8000 bytes) less the topic.
inline constexpr size_t kMaxDetail = 7'800;

// Listens for the other nodes' announcements on PostgreSQL. Handlers run on the feed's thread,
// one at a time, and must not block for long. Thread-safe after Start().
class ChangeFeed {
 public:
  // `conninfo`: the deployment's database.
  explicit ChangeFeed(std::string conninfo);
  ~ChangeFeed();  // stops and joins the thread
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Before Start(): runs `handler` when another node announces `topic`, with the announcement's
  // detail; with an empty detail after a lost connection (anything may have changed).
  using Handler = std::function<void(std::string_view detail)>;
  void On(const std::string& topic, Handler handler);
  void On(const std::string& topic, std::function<void()> handler) {
    On(topic, Handler([h = std::move(handler)](std::string_view) { h(); }));
  }
  // Connects and listens on a thread of its own; kUnavailable when the first connection fails.
  Status Start();

  // Whether its connection is up now (false while it reconnects: changes may be missed).
  bool Listening() const { return listening_.load(); }
  // Announcements handled, and connections lost, since the start.
  uint64_t Delivered() const { return delivered_.load(); }
  uint64_t Reconnects() const { return reconnects_.load(); }

 private:
  void Run();
  void Deliver(std::string_view payload);
  void DeliverAll();

  const std::string conninfo_;
  std::multimap<std::string, Handler, std::less<>> handlers_;  // set before Start, then read-only
  std::atomic<bool> stop_{false};
  int wake_[2] = {-1, -1};  // a pipe that interrupts the wait on stop
  std::atomic<uint64_t> delivered_{0}, reconnects_{0};
  std::atomic<bool> listening_{false};
  struct Connection;
  std::unique_ptr<Connection> conn_;
  std::string channel_;  // the feed thread's, after Start()
  std::thread thread_;
};

}  // namespace datenwerk::sql
