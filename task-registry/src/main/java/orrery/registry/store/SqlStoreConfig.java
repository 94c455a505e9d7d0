package orrery.registry.store;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where a SQL store keeps the registry.
 *
 * @param jdbcUrl {@code jdbc:sqlite:<file>} for the embedded store, {@code jdbc:postgresql://host:port/db} for a
 *     PostgreSQL server
 * @param user null for SQLite, or to let the driver decide
 * @param maxGroupChanges the most changes one transaction takes; more wait for the next one
 */
public record SqlStoreConfig(String jdbcUrl, String user, String password, int maxGroupChanges) {

  public static final int DEFAULT_MAX_GROUP_CHANGES = 20_000;

  public SqlStoreConfig {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    SqlDialect.of(jdbcUrl);
    if (maxGroupChanges < 1) {
      throw new IllegalArgumentException("maxGroupChanges must be at least 1, not " + maxGroupChanges);
    }
  }

  /** The embedded store in {@code file} (created with its directory when missing). */
  public static SqlStoreConfig embedded(Path file) {
    return new SqlStoreConfig("jdbc:sqlite:" + file.toAbsolutePath(), null, null, DEFAULT_MAX_GROUP_CHANGES);
  }

  public static SqlStoreConfig postgresql(String jdbcUrl, String user, String password) {
    return new SqlStoreConfig(jdbcUrl, user, password, DEFAULT_MAX_GROUP_CHANGES);
  }

  SqlDialect dialect() {
    return SqlDialect.of(jdbcUrl);
  }

  @Override
  public String toString() {
    // Never the password: this ends up in logs.
    return "SqlStoreConfig[" + jdbcUrl + (user == null ? "" : ", user " + user) + "]";
  }
}
