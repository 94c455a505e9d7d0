package orrery.registry.store;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * One PostgreSQL server for the whole test run, started on first use and stopped when the JVM exits. Without a
 * PostgreSQL installation the tests that need it are skipped, except in CI ({@code CI=true}), where that is a
 * failure: there bin/test-setup has installed it.
 */
final class TestPostgres {

  private static LocalPostgresServer server;

  private TestPostgres() {}

  static synchronized LocalPostgresServer server() {
    if (server != null) {
      return server;
    }
    if (LocalPostgresServer.binDir().isEmpty()) {
      if ("true".equals(System.getenv("CI"))) {
        throw new IllegalStateException("PostgreSQL is not installed; bin/test-setup should have installed it");
      }
      Assumptions.abort("PostgreSQL is not installed here (/usr/lib/postgresql/*/bin)");
    }
    try {
      server = LocalPostgresServer.start(Path.of(System.getProperty("java.io.tmpdir")));
    } catch (IOException e) {
      throw new IllegalStateException("cannot start PostgreSQL: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    LocalPostgresServer started = server;
    Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-test-postgres"));
    return server;
  }
}
