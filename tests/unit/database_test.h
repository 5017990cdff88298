// A test that runs once on SQLite and once on PostgreSQL (the store contract): derive from
// DatabaseTest, write TEST_P, and instantiate with ::testing::Values("sqlite", "postgres").
// db_ is a fresh database of that kind (a new file, or a new PostgreSQL schema).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "store/sql_connection.h"
#include "test_data.h"

namespace datenwerk::testing {

class DatabaseTest : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    if (std::string(GetParam()) == "postgres") {
      DATENWERK_REQUIRE_POSTGRES();
      conninfo_ = FreshPostgresSchema();
      ASSERT_TRUE(conninfo_);
    }
    db_ = conninfo_ ? sql::OpenPostgres(*conninfo_).value() : sql::OpenSqlite(dir_.File("db.sqlite"), "test").value();
  }
  TempDir dir_;
  std::optional<std::string> conninfo_;
  std::unique_ptr<sql::Connection> db_;
};

}  // namespace datenwerk::testing
