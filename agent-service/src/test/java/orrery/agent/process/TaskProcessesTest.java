package orrery.agent.process;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import orrery.agent.core.ContainerLimits;
import orrery.agent.core.LaunchSpec;
import orrery.agent.core.Limitation;
import orrery.agent.core.TaskKey;
import orrery.agent.isolation.IsolationOptions;
import orrery.agent.isolation.Isolator;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.resources.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * TaskProcesses against an isolator that stands in for the kernel's cgroups and holds a read of a container open
 * until the test has made the agent's stop happen during it: the interleaving that, with real cgroups, made a read of
 * {@code memory.oom_control} fail with "No such device" once the stop had removed the cgroup under it.
 */
class TaskProcessesTest {

  private static final TaskKey KEY = new TaskKey(FrameworkId.of("framework-1"), TaskId.of("task-1"));
  private static final ContainerId CONTAINER = ContainerId.of("c0ffee00-0000-4000-8000-000000000001");

  @TempDir
  Path dir;
  private final Vertx vertx = Vertx.vertx();
  private final Context context = vertx.getOrCreateContext();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger log = (Logger) LoggerFactory.getLogger(TaskProcesses.class);
  private final List<String> exits = new CopyOnWriteArrayList<>();

  @BeforeEach
  void listen() {
    logged.start();
    log.addAppender(logged);
  }

  @AfterEach
  void tearDown() throws Exception {
    log.detachAppender(logged);
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  @Test
  void theAgentsStopDuringTheReadOfAnExitedTasksContainerDestroysItOnceAfterTheReadAndLogsNoError()
      throws Exception {
    KernelLikeIsolator isolator = new KernelLikeIsolator();
    TaskProcesses processes = processes(isolator);
    onContext(() -> processes.start(KEY, spec("true"))
        .onSuccess(process -> processes.watch(KEY, process))).await(30, TimeUnit.SECONDS);

    // The task's process has exited and its container's counters are being read: now the agent stops.
    assertThat(isolator.reading.await(30, TimeUnit.SECONDS)).as("the exit's read of the container began").isTrue();
    onContext(() -> processes.killAll(100)).await(30, TimeUnit.SECONDS);

    assertThat(isolator.readFailures).as("reads that the container's destruction cut short").isEmpty();
    assertThat(isolator.destroys.get()).as("times the container was destroyed").isEqualTo(1);
    assertThat(isolator.closed).isTrue();
    assertThat(exits).containsExactly("task-1 exited 0");
    assertThat(errors()).isEmpty();
  }

  @Test
  void aRealErrorReadingTheContainerIsStillLoggedAndTheExitStillReportedAndTheContainerStillDestroyed()
      throws Exception {
    KernelLikeIsolator isolator = new KernelLikeIsolator();
    isolator.failRead = new IOException("Input/output error");
    TaskProcesses processes = processes(isolator);
    onContext(() -> processes.start(KEY, spec("true"))
        .onSuccess(process -> processes.watch(KEY, process))).await(30, TimeUnit.SECONDS);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (exits.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }

    assertThat(exits).containsExactly("task-1 exited 0");
    assertThat(isolator.destroys.get()).isEqualTo(1);
    assertThat(errors()).singleElement().satisfies(error -> {
      assertThat(error.getFormattedMessage()).contains(CONTAINER.value());
      assertThat(error.getThrowableProxy().getMessage()).isEqualTo("Input/output error");
    });
  }

  private TaskProcesses processes(Isolator isolator) {
    return new TaskProcesses(vertx, context, isolator, IsolationOptions.DEFAULT,
        container -> dir.resolve("meta").resolve(container.value() + ".exit"), new TaskProcesses.ExitListener() {
          @Override
          public void exited(TaskKey task, int exitValue, Limitation limitation) {
            exits.add(task.taskId().value() + " exited " + exitValue);
          }

          @Override
          public void lost(TaskKey task) {
            exits.add(task.taskId().value() + " lost");
          }
        });
  }

  private LaunchSpec spec(String command) {
    return new LaunchSpec(List.of("/bin/sh", "-c", command), Map.of(), dir.resolve("sandbox"), CONTAINER,
        Resources.cpusMem(0.1, 32));
  }

  private <T> Future<T> onContext(Supplier<Future<T>> action) {
    Promise<T> promise = Promise.promise();
    context.runOnContext(v -> action.get().onComplete(promise));
    return promise.future();
  }

  private List<ILoggingEvent> errors() {
    return logged.list.stream().filter(event -> event.getLevel().isGreaterOrEqual(Level.ERROR)).toList();
  }

  /**
   * Like the kernel's cgroups: a read of a container whose cgroup is removed meanwhile fails with "No such device".
   * A read waits (up to a second) for a destruction to begin, so that a stop racing it is caught every time.
   */
  private static final class KernelLikeIsolator implements Isolator {
    final CountDownLatch reading = new CountDownLatch(1);
    final CountDownLatch destroying = new CountDownLatch(1);
    final AtomicInteger destroys = new AtomicInteger();
    final List<String> readFailures = new CopyOnWriteArrayList<>();
    final Set<ContainerId> prepared = ConcurrentHashMap.newKeySet();
    volatile IOException failRead;
    volatile boolean closed;

    @Override
    public String name() {
      return "kernel-like";
    }

    @Override
    public void prepare(ContainerId container, ContainerLimits limits) {
      prepared.add(container);
    }

    @Override
    public String enterScript(ContainerId container) {
      return "";
    }

    @Override
    public Optional<List<Long>> pids(ContainerId container) {
      return Optional.of(List.of());
    }

    @Override
    public Optional<Limitation> limitation(ContainerId container) throws IOException {
      reading.countDown();
      if (failRead != null) {
        throw failRead;
      }
      try {
        if (destroying.await(1, TimeUnit.SECONDS)) {
          readFailures.add("memory.oom_control of " + container);
          throw new IOException("No such device");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      return Optional.empty();
    }

    @Override
    public void destroy(ContainerId container) {
      destroys.incrementAndGet();
      destroying.countDown();
      prepared.remove(container);
    }

    @Override
    public List<ContainerId> destroyOrphans(Set<ContainerId> keep) {
      return List.of();
    }

    @Override
    public void close() {
      closed = true;
    }
  }
}
