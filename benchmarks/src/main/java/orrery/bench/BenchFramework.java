package orrery.bench;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Filters;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.Offer;
import orrery.protocol.mesos.OfferId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.resources.Resources;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;
import orrery.sdk.SchedulerHttpClient;

/**
 * The cluster benchmark's framework, on the Mesos v1 scheduler HTTP API of a gateway. It does one thing at a time:
 * <ul>
 *   <li>{@link #launch}: launches short tasks as fast as offers allow (every offer used at once, up to a batch of
 *   tasks per ACCEPT, what is left given back without a filter) and times them from the first ACCEPT to the last
 *   task's end;</li>
 *   <li>{@link #failover}: kills a leader and times the way back to the next offer (see there);</li>
 *   <li>otherwise it keeps every offer it gets, so that between the two it comes to hold the whole agent.</li>
 * </ul>
 * Every update is acknowledged at once. All its state is touched on its client's event loop only.
 */
final class BenchFramework {

  /** What the launch phase measured. */
  record Launched(int tasks, int finished, int failed, double seconds) {
    double tasksPerSecond() {
      return seconds > 0 ? finished / seconds : 0;
    }
  }

  /**
   * What a failover measured: seconds from the SIGKILL to the next offer, how many launches it took until one
   * finished, and the kill's time ({@link System#nanoTime()}) for the caller's own figures.
   */
  record FailedOver(double seconds, int launches, long killedAtNanos) {}

  private enum Mode { HOLD, LAUNCH, FAILOVER }

  /**
   * What each task of the launch phase takes, as in the launch benchmark; and the least a launch after a kill takes
   * (below it, a leftover offer, the framework waits for more).
   */
  private static final Resources TASK = Resources.cpusMem(0.1, 16);
  /** A framework backs off between launches that were refused, as a real one would, instead of spinning. */
  private static final long RELAUNCH_SPACING_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Vertx vertx;
  private final Context context;
  private final String command;
  private SchedulerHttpClient client;
  /** Calls sent and not answered yet (acknowledgements above all): a failover starts once there are none. */
  private int unanswered;
  private Mode mode = Mode.HOLD;
  private final Deque<Offer> held = new ArrayDeque<>();

  // The launch phase.
  private final Deque<TaskId> pending = new ArrayDeque<>();
  private String prefix;
  private int batch;
  private int toEnd;
  private int ended;
  private int failed;
  private long firstAccept;
  private CompletableFuture<Launched> launched;

  // A failover.
  private long killedAt;
  private long lastLaunch;
  private int launches;
  private String failoverPrefix;
  private long finishedAt;
  private boolean relaunchScheduled;
  private CompletableFuture<FailedOver> failedOver;

  private BenchFramework(Vertx vertx, String command) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.command = command;
  }

  /**
   * Subscribes as a new framework with a failover timeout, so that an offer broker taking over keeps it (it knows the
   * framework from the registry) and its event stream goes on.
   */
  static BenchFramework subscribe(Vertx vertx, int gatewayPort, String name, String command) throws Exception {
    BenchFramework framework = new BenchFramework(vertx, command);
    framework.onContext(f -> {
      // Made on the framework's context, so that the client delivers its events there too.
      f.client = new SchedulerHttpClient(vertx, "127.0.0.1", gatewayPort);
      return null;
    }).get(10, TimeUnit.SECONDS);
    FrameworkInfo info = FrameworkInfo.of("bench", name).withFailoverTimeout(600);
    framework.onContext(f -> f.client.subscribe(info, f::onEvent)).get(10, TimeUnit.SECONDS)
        .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return framework;
  }

  /** Runs {@code action} on the framework's context; its result is the future's. */
  private <T> CompletableFuture<T> onContext(Function<BenchFramework, T> action) {
    CompletableFuture<T> result = new CompletableFuture<>();
    context.runOnContext(v -> {
      try {
        result.complete(action.apply(this));
      } catch (RuntimeException e) {
        result.completeExceptionally(e);
      }
    });
    return result;
  }

  /**
   * Launches {@code tasks} tasks named {@code prefix-i} of 0.1 cpus and 16 MB running the command, at most
   * {@code batch} per ACCEPT, on every offer as it comes; completes once all have ended.
   */
  CompletableFuture<Launched> launch(String prefix, int tasks, int batch) {
    return onContext(f -> {
      pending.clear();
      this.prefix = prefix + "-";
      for (int i = 0; i < tasks; i++) {
        pending.add(TaskId.of(this.prefix + i));
      }
      this.batch = batch;
      toEnd = tasks;
      ended = 0;
      failed = 0;
      firstAccept = 0;
      launched = new CompletableFuture<>();
      mode = Mode.LAUNCH;
      launchOnHeldOffers();
      return launched;
    }).thenCompose(future -> future);
  }

  private void launchOnHeldOffers() {
    while (!held.isEmpty() && !pending.isEmpty()) {
      Offer offer = held.pollFirst();
      List<TaskInfo> launch = OfferPacking.pack(offer, pending, batch, TASK, command);
      if (launch.isEmpty()) {
        call(Call.decline(client.frameworkId(), List.of(offer.id()), new Filters(0.0)));
        continue;
      }
      if (firstAccept == 0) {
        firstAccept = System.nanoTime();
      }
      call(Call.accept(client.frameworkId(), List.of(offer.id()), List.of(Offer.Operation.launch(launch)),
          new Filters(0.0)));
    }
  }

  private Future<Integer> call(Call call) {
    unanswered++;
    return client.call(call).onComplete(done -> unanswered--);
  }

  /** Whether the framework holds offers of {@code cpus} (the whole agent) and has no call unanswered. */
  boolean settled(double cpus) throws Exception {
    return onContext(f -> unanswered == 0 && heldResources().scalar("cpus") >= cpus).get(10, TimeUnit.SECONDS);
  }

  /**
   * Kills a leader and measures the time to the framework's next offer.
   *
   * <p>Why not simply the first offer after the kill: offers do not pass through the registry, so the framework
   * goes on being offered resources while the registry fails over, and is refused when it launches on them; and an
   * offer the old allocator or broker sent just before it died can arrive just after. So the framework, holding the
   * whole agent, kills the leader and at once launches one task on everything it holds, as a framework with work to
   * do would. If that launch is refused or lost (TASK_ERROR, or resources offered back), it launches again on the next
   * offer, at most every 100 ms. The next offer after a launched task has finished is the measurement's end: it
   * carries the task's resources, which come back only through the whole path, registry (the task's launch and its
   * updates), agent, allocator (the resources freed) and offer broker (the offer), each of them a surviving leader or
   * the standby that took over. It includes one short task's launch and run (tens of milliseconds here).
   */
  CompletableFuture<FailedOver> failover(Runnable kill) {
    return onContext(f -> {
      failedOver = new CompletableFuture<>();
      launches = 0;
      finishedAt = 0;
      lastLaunch = 0;
      mode = Mode.FAILOVER;
      killedAt = System.nanoTime();
      failoverPrefix = "failover-" + killedAt + "-";
      kill.run();
      launchAfterKill();
      return failedOver;
    }).thenCompose(future -> future);
  }

  private void launchAfterKill() {
    Resources all = heldResources();
    if (mode != Mode.FAILOVER || finishedAt > 0 || !all.contains(TASK)) {
      return;
    }
    long wait = lastLaunch + RELAUNCH_SPACING_NANOS - System.nanoTime();
    if (lastLaunch > 0 && wait > 0) {
      if (!relaunchScheduled) {
        relaunchScheduled = true;
        vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)), t -> {
          relaunchScheduled = false;
          launchAfterKill();
        });
      }
      return;
    }
    List<OfferId> offers = held.stream().map(Offer::id).toList();
    Offer first = held.peekFirst();
    held.clear();
    launches++;
    TaskId task = TaskId.of(failoverPrefix + launches);
    lastLaunch = System.nanoTime();
    TaskInfo info = TaskInfo.command(task.value(), task, first.agentId(), all.toList(first.allocationInfo().role()),
        CommandInfo.shell(command));
    call(Call.accept(client.frameworkId(), offers, List.of(Offer.Operation.launch(List.of(info))),
        new Filters(0.0))).onFailure(refused ->
          // The offers were the dead broker's, or no broker answered: the resources will be offered again.
          System.err.printf("cluster: launch %s after the kill: ACCEPT refused after %.2f s: %s%n",
              task.value().substring(failoverPrefix.length()), (System.nanoTime() - killedAt) / 1e9,
              refused.getMessage()));
  }

  private void onEvent(Event event) {
    switch (event.type()) {
      case OFFERS -> event.offers().offers().forEach(this::onOffer);
      case RESCIND -> held.removeIf(o -> o.id().equals(event.rescind().offerId()));
      case UPDATE -> onUpdate(event.update().status());
      default -> { }
    }
  }

  private void onOffer(Offer offer) {
    long now = System.nanoTime();
    held.addLast(offer);
    switch (mode) {
      case LAUNCH -> launchOnHeldOffers();
      case FAILOVER -> {
        if (finishedAt > 0) {
          mode = Mode.HOLD;
          failedOver.complete(new FailedOver((now - killedAt) / 1e9, launches, killedAt));
        } else {
          // Resources came back before a launch finished: a launch was refused or lost. Launch again on them.
          launchAfterKill();
        }
      }
      case HOLD -> { }
    }
  }

  private void onUpdate(TaskStatus status) {
    if (status.uuid() != null) {
      call(Call.acknowledge(client.frameworkId(), status.agentId(), status.taskId(), status.uuid()));
    }
    if (!status.state().isTerminal()) {
      return;
    }
    if (mode == Mode.LAUNCH && status.taskId().value().startsWith(prefix)) {
      ended++;
      if (status.state() != TaskState.TASK_FINISHED) {
        failed++;
        System.err.println("cluster: " + status.taskId().value() + " ended " + status.state() + ": "
            + status.message());
      }
      if (ended == toEnd) {
        mode = Mode.HOLD;
        launched.complete(new Launched(toEnd, toEnd - failed, failed, (System.nanoTime() - firstAccept) / 1e9));
      }
    } else if (mode == Mode.FAILOVER && status.taskId().value().startsWith(failoverPrefix)) {
      // Any task launched after the kill that finished shows the whole path works again.
      String launch = status.taskId().value().substring(failoverPrefix.length());
      System.err.printf("cluster: launch %s after the kill ended %s after %.2f s%s%n", launch, status.state(),
          (System.nanoTime() - killedAt) / 1e9, status.message() == null ? "" : ": " + status.message());
      if (status.state() == TaskState.TASK_FINISHED) {
        finishedAt = System.nanoTime();
      } else {
        launchAfterKill();
      }
    }
  }

  private Resources heldResources() {
    Resources all = Resources.empty();
    for (Offer offer : held) {
      all = all.plus(Resources.of(offer.resources()));
    }
    return all;
  }

  /** Tears the framework down (its tasks are killed, its offers taken back) and closes its client. */
  void teardown() throws Exception {
    onContext(f -> client.call(Call.teardown(client.frameworkId())).otherwiseEmpty())
        .get(10, TimeUnit.SECONDS).toCompletionStage().toCompletableFuture().get(15, TimeUnit.SECONDS);
    onContext(f -> client.close()).get(10, TimeUnit.SECONDS);
  }
}
