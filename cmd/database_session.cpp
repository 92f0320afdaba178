#include "cmd/database_session.hpp"

#include <spdlog/spdlog.h>

#include "cmd/replica_identity.hpp"
#include "core/config/secrets.hpp"
#include "core/db/connect.hpp"
#include "core/db/libpq_connection.hpp"
#include "core/db/migrations.hpp"
#include "core/ingest/prepared_parts.hpp"
#include "core/ingest/staging_tables.hpp"

namespace dp::cmd {

namespace {

db::MigrationOptions migration_options(const config::Settings& settings) {
  db::MigrationOptions options;
  options.dir = settings.sql_dir / "migrations";
  options.staging_schema = settings.staging_schema;
  options.dw_schema = settings.dw_schema;
  options.recreate = settings.dev;
  return options;
}

}  // namespace

DatabaseSession::DatabaseSession(const config::Settings& settings) : settings_(settings) {
  db::RetryPolicy policy;
  policy.max_delay = settings.db_retry_max_delay_s;
  policy.give_up_after = settings.db_connect_timeout_s;
  if (settings.db_string.empty()) {
    db::EmbeddedPostgresOptions options;
    options.root = settings.data_dir;
    options.tcp_port = settings.embedded_pg_port;
    embedded_ = std::make_unique<db::EmbeddedPostgres>(options);
    embedded_->start();
    db::connect_with_retry(embedded_->conninfo("postgres"), "embedded PostgreSQL", policy);
    db::ensure_database(embedded_->conninfo("postgres"), kEmbeddedDatabase);
    conninfo_ = embedded_->conninfo(kEmbeddedDatabase);
  } else {
    conninfo_ = settings.db_string;
  }
  display_ = config::mask_secrets(conninfo_);
  conninfo_ = db::with_session_options(conninfo_, session_options_of(settings));
  connection_ = db::connect_with_retry(conninfo_, display_, policy);
  spdlog::debug("connected to {}", display_);
}

DatabaseSession::~DatabaseSession() {
  connection_.reset();
  embedded_.reset();
}

void DatabaseSession::migrate() {
  {
    // A migration's DDL (or dev=true's drop) would wait forever on a prepared part's lock.
    db::LibpqConnection connection(conninfo_);
    resolve_prepared_parts(connection);
  }
  const auto result = db::apply_migrations(*connection_, migration_options(settings_));
  if (result.applied.empty()) {
    spdlog::debug("database schema up to date ({} migrations)", result.already_applied);
  } else {
    spdlog::info("applied {} migrations ({} were already applied)", result.applied.size(),
                 result.already_applied);
  }
}

void DatabaseSession::ensure_staging(const pipeline::PipelineRegistry& registry) {
  db::LibpqConnection connection(conninfo_);
  // First: a prepared part holds a lock on its staging table that DDL would wait on forever.
  resolve_prepared_parts(connection);
  ensure_staging(registry, connection);
}

void DatabaseSession::resolve_prepared_parts(db::LibpqConnection& connection) {
  if (connection.exec("SELECT to_regclass('ingest.files') IS NULL").get(0, 0) == "t") {
    return;  // A database without migrations has no loads to resolve.
  }
  const auto resolved = ingest::resolve_prepared_parts(connection);
  if (resolved.committed + resolved.rolled_back > 0) {
    spdlog::warn(
        "start-up: {} prepared part(s) of stopped parallel loads committed, {} rolled "
        "back, as the ledger decided",
        resolved.committed, resolved.rolled_back);
  }
  if (resolved.dropped_part_tables > 0) {
    spdlog::warn("start-up: dropped {} empty part table(s) of stopped parallel loads",
                 resolved.dropped_part_tables);
  }
}

void DatabaseSession::ensure_staging(const pipeline::PipelineRegistry& registry,
                                     db::LibpqConnection& connection) {
  ingest::ensure_staging_tables(connection, registry, settings_.staging_schema);
}

}  // namespace dp::cmd
