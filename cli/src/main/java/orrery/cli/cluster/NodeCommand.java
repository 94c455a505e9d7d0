package orrery.cli.cluster;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import orrery.cli.Lifetime;
import picocli.CommandLine.Mixin;

/**
 * One role of the cluster in a process of its own: joins the clustered event bus, deploys the role's verticles, and
 * runs until stopped, when it undeploys them and leaves the cluster.
 */
abstract class NodeCommand implements Callable<Integer> {

  private static final long START_TIMEOUT_SECONDS = 120;
  private static final long LEADERSHIP_CHECK_MILLIS = 1_000;
  /** The exit status of a leader that lost its leadership (supervisors restart it). */
  static final int LOST_LEADERSHIP_EXIT = 3;

  @Mixin
  ClusterFlags cluster;

  /**
   * Deploys the role on the joined Vert.x; returns what to print once it runs. {@code fence} is the leader's fencing
   * token for a singleton role, 0 for the others.
   */
  abstract Future<String> deploy(Vertx vertx, long fence);

  /** The role's name, as the command names it. */
  abstract String role();

  /** A role of which one replica acts at a time: it waits to be elected before it deploys. */
  boolean singleton() {
    return false;
  }

  /**
   * What a replica can do before it leads so that it takes over sooner: classes loaded and code paths run once,
   * touching nothing a leader uses. Blocking; a failure here only costs that time later.
   */
  void prepare() {}

  /** What to stop before leaving the cluster (the role's resources that Vert.x does not own). */
  void stopped() {}

  private volatile boolean leading;
  /** An orderly stop has begun: the leader lock may go with the member leaving the cluster. */
  private volatile boolean stopping;

  /** A member that has joined answers 200, saying whether it leads (a standby is healthy too). */
  private void serveHealth(Vertx vertx) throws Exception {
    if (cluster.healthPort <= 0) {
      return;
    }
    vertx.createHttpServer().requestHandler(request -> {
      if (!"/health".equals(request.path())) {
        request.response().setStatusCode(404).end();
        return;
      }
      request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("role", role())
          .put("leading", leading).encode());
    }).listen(cluster.healthPort).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /**
   * A leader whose check of its lock blocks (its invocation retried while the CP subsystem is out of reach) is not
   * left leading: once it has gone longer than a session lives without finding the lock its own, it exits.
   */
  private void watch(Leadership leadership, long fence) {
    Thread watchdog = new Thread(() -> {
      while (stopping || !leadership.overdue()) {
        try {
          Thread.sleep(LEADERSHIP_CHECK_MILLIS);
        } catch (InterruptedException e) {
          return;
        }
      }
      RoleOutput.announce("orrery " + role() + " lost its leadership (fencing token " + fence + "): its lock went "
          + "unconfirmed for longer than a session lives; exiting");
      System.out.flush();
      Runtime.getRuntime().halt(LOST_LEADERSHIP_EXIT);
    }, "orrery-leadership-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  @Override
  public Integer call() throws Exception {
    int cpMembers = cluster.cpMembers();
    RoleOutput.announce("orrery " + role() + ": " + (cpMembers >= 3
        ? "the leader locks are kept by Hazelcast's CP subsystem of " + cpMembers + " members"
        : "the leader locks are kept in Hazelcast's unsafe mode (--cp-members 0, or fewer than three members known): "
            + "see docs/cluster.md"));
    ClusterNode.Joined joined = ClusterNode.start(cluster, role()).toCompletionStage().toCompletableFuture()
        .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    Vertx vertx = joined.vertx();
    serveHealth(vertx);
    long fence = 0;
    Leadership leadership = null;
    if (singleton()) {
      RoleOutput.announce("orrery " + role() + " joined the cluster; waiting to lead");
      leadership = new Leadership(joined.hazelcast(), role());
      prepare();
      fence = leadership.await();
      RoleOutput.announce("orrery " + role() + " leads (fencing token " + fence + ")");
    }
    String started;
    try {
      started = deploy(vertx, fence).toCompletionStage().toCompletableFuture()
          .get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      stopped();
      throw e;
    }
    leading = true;
    RoleOutput.announce(started);
    Leadership held = leadership;
    // Found its own once more after the start (which may have taken longer than a session lives), then watched.
    boolean stoppedInOrder = false;
    if (held == null || held.held()) {
      if (held != null) {
        watch(held, fence);
      }
      stoppedInOrder = Lifetime.untilStopped(() -> {
        stopping = true;
        return vertx.close().andThen(done -> stopped());
      }, () -> held == null || held.held(), LEADERSHIP_CHECK_MILLIS);
    }
    if (!stoppedInOrder) {
      // Another replica leads now: acting on would make two. Stop at once, without unregistering anything (as a
      // Mesos master that lost its leadership aborts); a supervisor starts this one again, as a standby.
      RoleOutput.announce("orrery " + role() + " lost its leadership (fencing token " + fence + "); exiting");
      System.out.flush();
      Runtime.getRuntime().halt(LOST_LEADERSHIP_EXIT);
    }
    return 0;
  }
}
