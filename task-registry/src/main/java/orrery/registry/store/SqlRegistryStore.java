package orrery.registry.store;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import orrery.registry.core.RegistryChange;
import orrery.registry.core.RegistrySnapshot;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry in a SQL database (SQLite for the embedded store, PostgreSQL for clusters), written with group
 * commit: one thread owns the connection and writes whatever has been handed over while it was busy in one
 * transaction, then completes every call of that group, in order, once the commit has returned. Under load a
 * group holds many status updates and costs one sync; an idle store commits each call at once.
 *
 * <p>A group that fails is failed as a whole (nothing of it is taken as durable) and the connection is opened
 * again for the next one. The schema is brought up to date by Flyway when the store opens.
 */
public final class SqlRegistryStore implements RegistryStore {

  private static final Logger LOG = LoggerFactory.getLogger(SqlRegistryStore.class);

  private sealed interface Job permits Write, Load, Stop {}

  private record Write(List<RegistryChange> changes, CompletableFuture<Void> done) implements Job {}

  private record Load(CompletableFuture<RegistrySnapshot> done) implements Job {}

  private record Stop() implements Job {}

  private final SqlStoreConfig config;
  private final BlockingQueue<Job> jobs = new LinkedBlockingQueue<>();
  private final Thread writer;
  private final Timer commits;
  private final DistributionSummary groupSizes;
  private Connection connection;
  private volatile boolean closed;
  /** Set once elected: every transaction checks it against the newest leader's (see {@link #fence}). */
  private volatile Long fence;

  private SqlRegistryStore(SqlStoreConfig config) {
    this.config = config;
    this.commits = Timer.builder("orrery.registry.store.commit").description("Time to write and commit one group")
        .tag("store", config.dialect().name().toLowerCase()).publishPercentiles(0.5, 0.99)
        .register(Metrics.globalRegistry);
    this.groupSizes = DistributionSummary.builder("orrery.registry.store.group.changes")
        .description("Changes written by one commit").tag("store", config.dialect().name().toLowerCase())
        .register(Metrics.globalRegistry);
    this.writer = new Thread(this::run, "orrery-registry-store");
    this.writer.setDaemon(true);
  }

  /** Opens the store, creating or migrating its schema; blocks while it does. */
  public static SqlRegistryStore open(SqlStoreConfig config) {
    if (config.dialect() == SqlDialect.SQLITE) {
      createParentDirectory(config.jdbcUrl().substring("jdbc:sqlite:".length()));
    }
    Flyway.configure().dataSource(config.jdbcUrl(), config.user(), config.password())
        .locations("classpath:db/registry").load().migrate();
    SqlRegistryStore store = new SqlRegistryStore(config);
    try {
      store.connection = config.dialect().open(config);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot open the registry store " + config + ": " + e.getMessage(), e);
    }
    store.writer.start();
    LOG.info("registry store {} open", config);
    return store;
  }

  @Override
  public CompletionStage<Void> apply(List<RegistryChange> changes) {
    return submit(new Write(List.copyOf(changes), new CompletableFuture<>())).done();
  }

  @Override
  public CompletionStage<RegistrySnapshot> load() {
    return submit(new Load(new CompletableFuture<>())).done();
  }

  @Override
  public void fence(long token) {
    this.fence = token;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    jobs.add(new Stop());
    try {
      writer.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private <J extends Job> J submit(J job) {
    if (closed) {
      failClosed(job);
      return job;
    }
    jobs.add(job);
    return job;
  }

  private void run() {
    List<Job> batch = new ArrayList<>();
    try {
      while (true) {
        batch.clear();
        batch.add(jobs.take());
        jobs.drainTo(batch);
        // Consecutive writes go in one transaction; a load or the stop waits for the writes queued before it.
        List<Write> group = new ArrayList<>();
        int groupChanges = 0;
        for (int i = 0; i < batch.size(); i++) {
          Job job = batch.get(i);
          if (job instanceof Write write && groupChanges < config.maxGroupChanges()) {
            group.add(write);
            groupChanges += write.changes().size();
            continue;
          }
          commit(group);
          group = new ArrayList<>();
          groupChanges = 0;
          if (job instanceof Write write) {
            group.add(write);
            groupChanges = write.changes().size();
          } else if (job instanceof Load load) {
            load(load);
          } else {
            closeConnection();
            failRemaining(batch.subList(i + 1, batch.size()));
            return;
          }
        }
        commit(group);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeConnection();
      failRemaining(List.of());
    }
  }

  private void commit(List<Write> group) {
    if (group.isEmpty()) {
      return;
    }
    FoldedChanges folded = new FoldedChanges();
    int count = 0;
    for (Write write : group) {
      folded.fold(write.changes());
      count += write.changes().size();
    }
    long started = System.nanoTime();
    try {
      if (!folded.isEmpty()) {
        Connection open = connection();
        try {
          Long token = fence;
          if (token != null) {
            RegistryTables.checkFence(open, token);
          }
          RegistryTables.write(open, folded);
          open.commit();
        } catch (SQLException | RuntimeException e) {
          rollback(open);
          throw e;
        }
      }
      commits.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
      groupSizes.record(count);
      group.forEach(write -> write.done().complete(null));
    } catch (SQLException | RuntimeException e) {
      LOG.error("registry store: a group of {} change(s) was not written", count, e);
      closeConnection();
      group.forEach(write -> write.done().completeExceptionally(e));
    }
  }

  private void load(Load load) {
    try {
      Connection open = connection();
      RegistrySnapshot snapshot = RegistryTables.read(open);
      open.commit();
      load.done().complete(snapshot);
    } catch (SQLException | RuntimeException e) {
      LOG.error("registry store: loading failed", e);
      closeConnection();
      load.done().completeExceptionally(e);
    }
  }

  /** The open connection, or a new one after a failure closed it. */
  private Connection connection() throws SQLException {
    if (connection == null) {
      connection = config.dialect().open(config);
    }
    return connection;
  }

  private void rollback(Connection open) {
    try {
      open.rollback();
    } catch (SQLException e) {
      LOG.warn("registry store: rollback failed ({}); the connection is opened again", e.getMessage());
    }
  }

  private void closeConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.warn("registry store: closing the connection failed: {}", e.getMessage());
    }
    connection = null;
  }

  /** After the stop: what was handed over too late is failed, not left waiting. */
  private void failRemaining(List<Job> unhandled) {
    List<Job> remaining = new ArrayList<>(unhandled);
    jobs.drainTo(remaining);
    remaining.forEach(SqlRegistryStore::failClosed);
    Metrics.globalRegistry.remove(commits);
    Metrics.globalRegistry.remove(groupSizes);
  }

  /** A job handed over once the store closed: it fails, so that no caller waits for ever. */
  private static void failClosed(Job job) {
    IllegalStateException failure = new IllegalStateException("the registry store is closed");
    if (job instanceof Write write) {
      write.done().completeExceptionally(failure);
    } else if (job instanceof Load load) {
      load.done().completeExceptionally(failure);
    }
  }

  private static void createParentDirectory(String file) {
    Path parent = Path.of(file).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot create the registry store's directory " + parent + ": "
          + e.getMessage(), e);
    }
  }
}
