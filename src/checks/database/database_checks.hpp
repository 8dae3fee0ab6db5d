#pragma once
// The database checks (domain "database"), registered in id order: SQLModel
// models and their tables, Alembic migrations, the engines the application
// creates, and connections to Neon. They read Python code through its model
// (src/code/model.hpp) and configuration as text.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::database {

std::unique_ptr<engine::Check> make_alembic_migrations_check();
std::unique_ptr<engine::Check> make_compatible_migrations_check();
std::unique_ptr<engine::Check> make_connection_pooling_check();
std::unique_ptr<engine::Check> make_eager_loading_check();
std::unique_ptr<engine::Check> make_foreign_key_relationships_check();
std::unique_ptr<engine::Check> make_neon_pooled_connection_check();
std::unique_ptr<engine::Check> make_neon_preview_branches_check();
std::unique_ptr<engine::Check> make_neon_project_settings_check();
std::unique_ptr<engine::Check> make_query_indexes_check();
std::unique_ptr<engine::Check> make_query_timeout_check();
std::unique_ptr<engine::Check> make_reversible_migrations_check();
std::unique_ptr<engine::Check> make_sqlmodel_models_check();
std::unique_ptr<engine::Check> make_staged_migrations_check();
std::unique_ptr<engine::Check> make_table_names_check();

// Every database check's factory, sorted by check id.
std::vector<engine::CheckFactory> database_checks();

}  // namespace constable::checks::database
