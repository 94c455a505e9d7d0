package orrery.registry.store;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

/** The two databases the SQL store runs on; they share the schema and the statements, not the connection set-up. */
enum SqlDialect {

  /** The embedded store: one file, written through SQLite's write-ahead log, synced on every commit. */
  SQLITE {
    @Override
    Connection open(SqlStoreConfig config) throws SQLException {
      Connection connection = DriverManager.getConnection(config.jdbcUrl());
      try (Statement statement = connection.createStatement()) {
        statement.execute("PRAGMA journal_mode=WAL");
        // FULL syncs the log on every commit: a commit that returned survives a power cut, not only a crash.
        statement.execute("PRAGMA synchronous=FULL");
        statement.execute("PRAGMA busy_timeout=5000");
      }
      connection.setAutoCommit(false);
      return connection;
    }
  },

  POSTGRESQL {
    @Override
    Connection open(SqlStoreConfig config) throws SQLException {
      Properties properties = new Properties();
      if (config.user() != null) {
        properties.setProperty("user", config.user());
      }
      if (config.password() != null) {
        properties.setProperty("password", config.password());
      }
      // One round trip for a whole batch of upserts instead of one per row.
      properties.setProperty("reWriteBatchedInserts", "true");
      properties.setProperty("ApplicationName", "orrery-registry");
      Connection connection = DriverManager.getConnection(config.jdbcUrl(), properties);
      connection.setAutoCommit(false);
      return connection;
    }
  };

  abstract Connection open(SqlStoreConfig config) throws SQLException;

  static SqlDialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("registry store URL '" + jdbcUrl + "' is neither jdbc:sqlite: nor "
        + "jdbc:postgresql:");
  }
}
