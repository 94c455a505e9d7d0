package orrery.agent;

import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import orrery.protocol.bus.Addresses;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.messages.TaskMessages.KillTask;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;

/**
 * An agent in a JVM of its own, with the stand-in registry and allocator of this module's tests, so that a test can
 * kill it with SIGKILL and start it again on the same work dir. Driven by lines on standard input
 * ({@code LAUNCH id shell command}, {@code DOCKER id shell command} in the test image, {@code KILL id},
 * {@code ACKS on|off}); reports on standard output
 * ({@code READY port}, {@code UPDATE id state uuid message}). Arguments: work dir, resources.
 */
public final class AgentProcessMain {

  private AgentProcessMain() {}

  public static void main(String[] args) throws Exception {
    Vertx vertx = Vertx.vertx();
    FakeMaster master = new FakeMaster(vertx).startRegistry().startAllocator();
    AgentConfig config = new AgentConfig(Path.of(args[0]), args[1], null, "127.0.0.1", 0, 100, 300, 1_000);
    AgentVerticle agent = new AgentVerticle(config);
    try {
      vertx.deployVerticle(agent).toCompletionStage().toCompletableFuture().get();
    } catch (Exception e) {
      System.out.println("FAILED " + e.getCause().getMessage());
      System.exit(3);
    }
    System.out.println("READY " + agent.httpPort());
    int[] printed = {0};
    vertx.setPeriodic(20, id -> {
      List<StatusUpdate> all = master.allUpdates;
      while (printed[0] < all.size()) {
        StatusUpdate update = all.get(printed[0]++);
        System.out.println("UPDATE " + update.status().taskId().value() + " " + update.status().state() + " "
            + Base64.getEncoder().encodeToString(update.status().uuid()) + " " + update.status().message());
      }
    });
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      String[] parts = line.split(" ", 3);
      switch (parts[0]) {
        case "LAUNCH" -> vertx.eventBus().request(Addresses.agentLaunch(agent.agentId()), new LaunchTasks(
            AgentFixture.FRAMEWORK, agent.agentId(), List.of(TaskInfo.command(parts[1], TaskId.of(parts[1]),
                agent.agentId(), List.of(Resource.scalar("cpus", 0.1), Resource.scalar("mem", 32)),
                CommandInfo.shell(parts[2])))));
        case "DOCKER" -> vertx.eventBus().request(Addresses.agentLaunch(agent.agentId()), new LaunchTasks(
            AgentFixture.FRAMEWORK, agent.agentId(), List.of(DockerTasksTest.docker(parts[1], parts[2], 32,
                DockerTasksTest.image(DockerTasksTest.IMAGE)))));
        case "KILL" -> vertx.eventBus().request(Addresses.agentKill(agent.agentId()),
            new KillTask(AgentFixture.FRAMEWORK, TaskId.of(parts[1]), agent.agentId(), null));
        case "ACKS" -> master.autoAcknowledge.set(parts[1].equals("on"));
        default -> System.out.println("UNKNOWN " + line);
      }
    }
  }
}
