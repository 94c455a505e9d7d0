package orrery.agent;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import orrery.agent.core.AgentCore;
import orrery.agent.core.Effect;
import orrery.agent.core.ExitStatus;
import orrery.agent.core.Limitation;
import orrery.agent.core.HeldTasks;
import orrery.agent.core.RetryPolicy;
import orrery.agent.core.TaskKey;
import orrery.agent.core.Uuids;
import orrery.agent.gc.SandboxCollector;
import orrery.agent.health.HealthCheckRunner;
import orrery.agent.docker.DockerContainers;
import orrery.agent.http.AgentRouter;
import orrery.agent.http.AgentState;
import orrery.agent.http.SandboxFiles;
import orrery.agent.process.LaunchMechanism;
import orrery.agent.process.TaskProcesses;
import orrery.protocol.bus.Addresses;
import orrery.protocol.bus.BusCodecs;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.KillPolicy;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.FrameworkMessages.FrameworkRef;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one machine: registers its resources, runs tasks as processes, reports their status until each
 * update is acknowledged, and serves {@code /state} and the sandboxes over HTTP. Every decision is the
 * {@link AgentCore}'s; this verticle feeds it messages, process events and time, and carries out its effects.
 *
 * <p>{@link #start()} completes once the agent is registered and its resources are with the allocator.
 */
public final class AgentVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(AgentVerticle.class);

  static {
    LaunchMechanism.preferVfork(); // before this JVM starts its first process, which is when the JDK reads it
  }

  /** While the registry or allocator does not answer: 200 ms, doubling up to 5 s. */
  private static final RetryPolicy REGISTRATION_BACKOFF = new RetryPolicy(200, 5_000);

  private final AgentConfig config;
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private volatile AgentId agentId;
  /** Set at registration: an operator drains this agent, so it joins the allocator deactivated. */
  private boolean draining;
  private volatile int httpPort;
  private AgentSetup setup;
  private AgentInfo info;
  private AgentCore core;
  private MasterClient master;
  private TaskRunners runners;
  private RetryTimer retryTimer;
  private RetryTimer healthTimer;
  private HealthCheckRunner healthChecks;
  private SandboxCollector sandboxGc;
  private HttpServer server;
  private Membership membership;
  private boolean stopping;
  private CheckpointedEffects effectsQueue;

  public AgentVerticle(AgentConfig config) {
    this.config = config;
  }

  /** The id the registry gave this agent; null until registered. */
  public AgentId agentId() {
    return agentId;
  }

  /** The port {@code /state} and {@code /files} are served on; 0 until listening. */
  public int httpPort() {
    return httpPort;
  }

  @Override
  public Future<?> start() {
    BusCodecs.register(vertx.eventBus());
    master = new MasterClient(vertx, REGISTRATION_BACKOFF);
    membership = new Membership(vertx, master, config.heartbeatIntervalMillis(), () -> stopping,
        () -> core == null ? List.of() : core.heldTasks());
    retryTimer = new RetryTimer(vertx, this::retryDue);
    healthTimer = new RetryTimer(vertx, this::healthChecksDue);
    healthChecks = new HealthCheckRunner(vertx, config.hostname());
    return vertx.executeBlocking(() -> AgentSetup.prepare(config))
        .compose(prepared -> {
          setup = prepared;
          effectsQueue = new CheckpointedEffects(vertx, setup.checkpoints(), this::perform, () -> stopping);
          TaskProcesses.ExitListener exits = new TaskProcesses.ExitListener() {
            @Override
            public void exited(TaskKey task, int exitValue, Limitation limitation) {
              processExited(task, exitValue, limitation);
            }

            @Override
            public void lost(TaskKey task) {
              LOG.warn("the process of {} ended while the agent was down, leaving no exit status", task);
              apply(core.processLost(task, now()));
            }
          };
          TaskProcesses processes = new TaskProcesses(vertx, context, setup.isolator(), config.isolation(),
              setup.checkpoints()::exitStatusFile, exits);
          LOG.info("isolation: {}; processes started by {}", setup.isolator().name(),
              System.getProperty(LaunchMechanism.PROPERTY, "the JDK's default launch mechanism"));
          DockerContainers containers = setup.docker() == null ? null
              : new DockerContainers(vertx, context, setup.docker(), exits);
          runners = new TaskRunners(processes, containers, new TaskRunners.Outcomes() {
            @Override
            public void started(TaskKey task, long pid, Long startMillis) {
              apply(core.processStarted(task, pid, startMillis, now()));
            }

            @Override
            public void failedToStart(TaskKey task, String cause) {
              apply(core.processFailedToStart(task, cause, now()));
            }

            @Override
            public void lost(TaskKey task) {
              apply(core.processLost(task, now()));
            }
          }, () -> stopping);
          server = vertx.createHttpServer()
              .requestHandler(AgentRouter.create(vertx, this::state, new SandboxFiles(setup.sandboxesRoot())));
          return server.listen(config.httpPort());
        })
        .compose(listening -> {
          httpPort = listening.actualPort();
          // A recovering agent registers under the id it had, so that its tasks stay its own.
          AgentId recoveredId = setup.recoveredAgent() == null ? null : setup.recoveredAgent().info().id();
          info = new AgentInfo(config.hostname(), httpPort, setup.total().toList(), setup.attributes(), recoveredId,
              null);
          return master.register(info, HeldTasks.fromCheckpoints(setup.recoveredTasks()));
        })
        .compose(answer -> {
          AgentId id = answer.agentId();
          draining = answer.draining();
          agentId = id;
          info = info.withId(id);
          AgentInfo registered = info;
          return vertx.executeBlocking(() -> {
            setup.checkpoints().writeAgent(new Checkpoints.AgentCheckpoint(registered, setup.total()));
            return id;
          });
        })
        .compose(id -> {
          core = new AgentCore(id, setup.sandboxes(), config.statusUpdateRetry(), new RandomIds(),
              AgentCore.DEFAULT_COMPLETED_TASKS_LIMIT, setup.docker() != null);
          return listen(id);
        })
        .compose(listening -> master.addAgent(info, setup.total(), HeldTasks.fromCheckpoints(setup.recoveredTasks()),
            draining))
        .onSuccess(added -> {
          membership.start(info, setup.total());
          sandboxGc = new SandboxCollector(vertx, setup.sandboxesRoot().resolve(agentId.value()),
              config.sandboxGcDelayMillis(), this::state);
          sandboxGc.start();
          LOG.info("agent {} registered: {}:{} offering {}", agentId, config.hostname(), httpPort, setup.total());
          if (!setup.recoveredTasks().isEmpty()) {
            LOG.info("agent {} recovered: {} task(s) from its checkpoint", agentId, setup.recoveredTasks().size());
            apply(core.recover(setup.recoveredTasks(), now()));
          }
        });
  }

  /** Unregisters (best effort), ends every task's processes, closes the HTTP server. */
  @Override
  public Future<?> stop() {
    stopping = true;
    master.close();
    if (membership != null) {
      membership.stop();
    }
    retryTimer.cancel();
    healthTimer.cancel();
    if (sandboxGc != null) {
      sandboxGc.stop();
    }
    Future<Void> unregistered = agentId == null ? Future.succeededFuture() : master.unregister(agentId);
    return unregistered
        .compose(done -> runners == null ? Future.succeededFuture()
            : runners.killAll(KillPolicy.DEFAULT_GRACE_PERIOD_MILLIS))
        .andThen(done -> closeQuietly(setup == null ? null : setup.docker()))
        // A clean stop: the tasks are gone and the agent unregistered, so nothing is left to recover.
        .compose(done -> setup == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
          setup.checkpoints().clear();
          return null;
        }))
        .compose(done -> server == null ? Future.succeededFuture() : server.close());
  }

  private Future<?> listen(AgentId id) {
    this.<LaunchTasks>on(Addresses.agentLaunch(id), launch -> core.launch(launch, now()));
    this.<KillTask>on(Addresses.agentKill(id), kill -> core.kill(kill, now()));
    this.<Acknowledgement>on(Addresses.agentAcknowledge(id), ack -> core.acknowledge(ack, now()));
    this.<FrameworkRef>on(Addresses.agentShutdownFramework(id),
        framework -> core.shutdownFramework(framework.frameworkId(), now()));
    return Future.all(consumers.stream().map(MessageConsumer::completion).toList());
  }

  /** Feeds each message to the core, carries out what it decides, and replies once that is under way. */
  private <T> void on(String address, Function<T, List<Effect>> handler) {
    consumers.add(vertx.eventBus().<T>consumer(address, message -> {
      try {
        apply(handler.apply(message.body()));
        message.reply(null);
      } catch (RuntimeException e) {
        LOG.error("{} failed for {}", address, message.body(), e);
        message.fail(500, address + " failed: " + e.getMessage());
      }
    }));
  }

  /** Carries out what the core decided, once the checkpoints its decision changed are written. */
  private void apply(List<Effect> effects) {
    if (stopping) {
      return; // the agent is leaving: its processes are being ended and nobody is told more
    }
    effectsQueue.submit(core.drainCheckpoints(), effects);
    retryTimer.schedule(core.nextRetryAt(), now());
    healthTimer.schedule(core.nextHealthCheckAt(), now());
  }

  private void perform(List<Effect> effects) {
    for (Effect effect : effects) {
      if (effect instanceof Effect.SendStatusUpdate send) {
        TaskStatus status = send.update().status();
        LOG.info("status update {} of task '{}' of framework {}: {}{}", Uuids.toString(status.uuid()),
            status.taskId(), send.update().frameworkId(), status.state(),
            status.message() == null ? "" : " (" + status.message() + ")");
        master.statusUpdate(send.update());
      } else if (effect instanceof Effect.PrepareContainer prepare) {
        runners.prepareProcess(prepare.task(), prepare.spec());
      } else if (effect instanceof Effect.StartProcess start) {
        runners.startProcess(start.task(), start.spec());
      } else if (effect instanceof Effect.StartContainer start) {
        runners.startContainer(start);
      } else if (effect instanceof Effect.Terminate terminate) {
        runners.terminate(terminate.task(), terminate.gracePeriodMillis());
      } else if (effect instanceof Effect.ForceKill kill) {
        runners.forceKill(kill.task());
      } else if (effect instanceof Effect.RunHealthCheck check) {
        healthChecks.run(check.check(), check.spec()).onComplete(result -> {
          HealthCheckRunner.Result r = result.result();
          LOG.debug("{} health check of {}: {}", check.check().type(), check.task(), r);
          apply(core.healthCheckResult(check.task(), r.healthy(), r.detail(), now()));
        });
      } else if (effect instanceof Effect.Reattach reattach) {
        runners.reattach(reattach, core.sandboxOf(reattach.task()));
      } else if (effect instanceof Effect.Ignored ignored) {
        LOG.info("{}", ignored.reason());
      }
    }
  }

  private static void closeQuietly(AutoCloseable resource) {
    try {
      if (resource != null) {
        resource.close();
      }
    } catch (Exception e) {
      LOG.warn("closing {} failed: {}", resource, e.getMessage());
    }
  }

  private void processExited(TaskKey key, int exitValue, Limitation limitation) {
    LOG.info("the process of {} exited: {}{}", key, ExitStatus.describe(exitValue),
        limitation == null ? "" : " (" + limitation.message() + ")");
    apply(core.processExited(key, exitValue, limitation, now()));
  }

  private void retryDue() {
    List<Effect> due = core.retryDue(now());
    if (!due.isEmpty()) {
      LOG.info("resending {} unacknowledged status update(s)", due.size());
    }
    apply(due);
  }

  private void healthChecksDue() {
    apply(core.healthChecksDue(now()));
  }

  private AgentState state() {
    return new AgentState(agentId, config.hostname(), httpPort, setup.total(), setup.attributes(),
        setup.isolator().name(), setup.docker() == null ? null : setup.docker().version(),
        core == null ? List.of() : core.tasks(), core == null ? List.of() : core.completedTasks());
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
