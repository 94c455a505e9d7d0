package orrery.registry.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL server of its own, started from the machine's installation into a directory it owns and stopped
 * with it: what the store contract tests and {@code bin/bench registry} run against, so that neither depends on a
 * server someone left running. PostgreSQL refuses to run as root, so as root it runs as the {@code postgres} user.
 */
public final class LocalPostgresServer implements AutoCloseable {

  public static final String DATABASE = "orrery";
  public static final String USER = "orrery";

  private final Path binDir;
  private final Path directory;
  private final int port;
  private final Process server;

  private LocalPostgresServer(Path binDir, Path directory, int port, Process server) {
    this.binDir = binDir;
    this.directory = directory;
    this.port = port;
    this.server = server;
  }

  /** The directory with {@code initdb} and {@code postgres}: $ORRERY_POSTGRES_BIN, else the newest installed. */
  public static Optional<Path> binDir() {
    String configured = System.getenv("ORRERY_POSTGRES_BIN");
    if (configured != null && !configured.isBlank()) {
      return Optional.of(Path.of(configured)).filter(LocalPostgresServer::hasServer);
    }
    Path installed = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(installed)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(installed)) {
      return versions.map(v -> v.resolve("bin")).filter(LocalPostgresServer::hasServer)
          .max(Comparator.comparing(p -> versionOf(p.getParent())));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Initialises a cluster in a new directory under {@code parent}, starts it and creates the database. */
  public static LocalPostgresServer start(Path parent) throws IOException, InterruptedException {
    Path binDir = binDir().orElseThrow(() -> new IllegalStateException(
        "no PostgreSQL installation found under /usr/lib/postgresql (or $ORRERY_POSTGRES_BIN); "
            + "bin/test-setup installs one"));
    Path directory = Files.createTempDirectory(parent, "postgres-");
    Path data = directory.resolve("data");
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      UserPrincipal postgres = directory.getFileSystem().getUserPrincipalLookupService()
          .lookupPrincipalByName("postgres");
      Files.setOwner(directory, postgres);
    }
    run(root, List.of(binDir.resolve("initdb").toString(), "-D", data.toString(), "-U", USER, "-A", "trust",
        "-E", "UTF8", "--no-sync"), directory.resolve("initdb.log"));
    int port = freePort();
    List<String> command = asPostgresUser(root, List.of(binDir.resolve("postgres").toString(), "-D",
        data.toString(), "-p", Integer.toString(port), "-k", directory.toString(), "-c",
        "listen_addresses=127.0.0.1", "-c", "max_connections=50"));
    Process server = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(directory.resolve("postgres.log").toFile()).start();
    LocalPostgresServer started = new LocalPostgresServer(binDir, directory, port, server);
    started.awaitReady();
    try (Connection connection = DriverManager.getConnection(started.jdbcUrl("postgres"), USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      started.close();
      throw new IllegalStateException("cannot create the database: " + e.getMessage(), e);
    }
    return started;
  }

  public String jdbcUrl() {
    return jdbcUrl(DATABASE);
  }

  public SqlStoreConfig storeConfig() {
    return SqlStoreConfig.postgresql(jdbcUrl(), USER, "");
  }

  public int port() {
    return port;
  }

  /** Empties the database: every table dropped, so that the next store migrates afresh. */
  public void reset() throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl(), USER, "");
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA public CASCADE");
      statement.execute("CREATE SCHEMA public");
    }
  }

  @Override
  public void close() {
    // pg_ctl's fast shutdown: clients are disconnected, nothing waits for them. (The process started here may be
    // runuser, which does not pass signals on, so the server is stopped through its data directory.)
    try {
      run("root".equals(System.getProperty("user.name")), List.of(binDir.resolve("pg_ctl").toString(), "stop",
          "-D", directory.resolve("data").toString(), "-m", "fast", "-w"), directory.resolve("pg_ctl.log"));
    } catch (IOException | RuntimeException e) {
      server.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      if (!server.waitFor(10, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor();
      }
      deleteTree(directory);
    } catch (IOException e) {
      throw new IllegalStateException("cannot remove " + directory + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    SQLException last = null;
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException("PostgreSQL exited with " + server.exitValue() + ": "
            + Files.readString(directory.resolve("postgres.log")));
      }
      try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, "")) {
        return;
      } catch (SQLException e) {
        last = e;
        Thread.sleep(100);
      }
    }
    close();
    throw new IllegalStateException("PostgreSQL did not accept connections within 60 s: "
        + (last == null ? "" : last.getMessage()));
  }

  private static void run(boolean root, List<String> command, Path log) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(asPostgresUser(root, command)).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed: " + Files.readString(log));
    }
  }

  private static List<String> asPostgresUser(boolean root, List<String> command) {
    if (!root) {
      return command;
    }
    List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
    wrapped.addAll(command);
    return wrapped;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static boolean hasServer(Path bin) {
    return Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("postgres"));
  }

  private static int versionOf(Path versionDir) {
    try {
      return Integer.parseInt(versionDir.getFileName().toString());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
