#include "checks/database/database_checks.hpp"

namespace constable::checks::database {

std::vector<engine::CheckFactory> database_checks() {
  // Sorted by check id.
  return {
      &make_alembic_migrations_check,          // database/alembic-migrations
      &make_compatible_migrations_check,       // database/compatible-migrations
      &make_connection_pooling_check,          // database/connection-pooling
      &make_eager_loading_check,               // database/eager-loading
      &make_foreign_key_relationships_check,   // database/foreign-key-relationships
      &make_neon_pooled_connection_check,      // database/neon-pooled-connection
      &make_neon_preview_branches_check,       // database/neon-preview-branches
      &make_neon_project_settings_check,       // database/neon-project-settings
      &make_query_indexes_check,               // database/query-indexes
      &make_query_timeout_check,               // database/query-timeout
      &make_reversible_migrations_check,       // database/reversible-migrations
      &make_sqlmodel_models_check,             // database/sqlmodel-models
      &make_staged_migrations_check,           // database/staged-migrations
      &make_table_names_check,                 // database/table-names
  };
}

}  // namespace constable::checks::database
