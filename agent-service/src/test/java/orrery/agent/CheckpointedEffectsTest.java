package orrery.agent;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import orrery.agent.core.AgentCore.CheckpointChange;
import orrery.agent.core.Effect;
import orrery.agent.core.TaskCheckpoint;
import orrery.agent.core.TaskKey;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.ContainerId;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointedEffectsTest {

  private static final FrameworkId FRAMEWORK = FrameworkId.of("fw");

  @TempDir
  Path workDir;
  private final Vertx vertx = Vertx.vertx();
  /** What was carried out, each with how many task checkpoints were on disk at that moment. */
  private final List<String> done = new CopyOnWriteArrayList<>();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void gatingChangesAreWrittenFirstAndAnAcknowledgementAloneWaitsForNoWrite() throws Exception {
    Checkpoints checkpoints = new Checkpoints(workDir);
    CompletableFuture<Void> first = new CompletableFuture<>();
    CheckpointedEffects queue = new CheckpointedEffects(vertx, checkpoints, effects -> {
      String name = ((Effect.Ignored) effects.get(0)).reason();
      done.add(name + ":" + onDisk(checkpoints));
      if (name.equals("ack behind")) {
        first.complete(null);
      }
    }, () -> false);

    vertx.runOnContext(v -> {
      queue.submit(List.of(change("a", true)), List.of(new Effect.Ignored("launch a")));
      // Decided after "launch a": it waits for it, though it needs no write of its own.
      queue.submit(List.of(change("b", false)), List.of(new Effect.Ignored("ack behind")));
    });
    first.get(10, TimeUnit.SECONDS);
    // Both after a's write (one file on disk), b's change not yet written.
    assertThat(done).containsExactly("launch a:1", "ack behind:1");
    AgentFixture.eventually("b's change written after", () -> onDisk(checkpoints) == 2);

    CompletableFuture<Void> second = new CompletableFuture<>();
    vertx.runOnContext(v -> {
      done.clear();
      // Nothing waits: an acknowledgement is carried out at once, and its change written after.
      queue.submit(List.of(change("c", false)), List.of(new Effect.Ignored("ack alone")));
      done.add("submitted");
      second.complete(null);
    });
    second.get(10, TimeUnit.SECONDS);
    assertThat(done).containsExactly("ack alone:2", "submitted");
    AgentFixture.eventually("the acknowledgement written after", () -> onDisk(checkpoints) == 3);
  }

  private static CheckpointChange change(String task, boolean gating) {
    TaskId id = TaskId.of(task);
    TaskInfo info = TaskInfo.command(task, id, AgentId.of("agent"), List.of(), CommandInfo.shell("true"));
    return new CheckpointChange(new TaskKey(FRAMEWORK, id), new TaskCheckpoint(FRAMEWORK, info,
        ContainerId.of("c-" + task), null, "LAUNCHING", TaskState.TASK_STARTING, null, null,
        TaskState.TASK_STARTING, List.of(), null), gating);
  }

  private static int onDisk(Checkpoints checkpoints) {
    try {
      return checkpoints.readTasks().size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
