package orrery.agent;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import orrery.agent.core.AgentCore.CheckpointChange;
import orrery.agent.core.Effect;
import orrery.agent.core.TaskKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the core's decisions after writing the checkpoints they changed: a status update is on disk before it
 * is sent, and a task before its process starts. Batches are carried out in the order the core decided them; while
 * checkpoints are being written, the batches that follow wait, and their checkpoints are then written together (the
 * newest of each task), so a burst costs few writes. The queue is worked through in a loop, never by chaining
 * callbacks, so that a burst of thousands cannot run the stack out. Used on the agent's context only.
 */
final class CheckpointedEffects {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointedEffects.class);

  private record Batch(List<CheckpointChange> changes, List<Effect> effects) {}

  private final Vertx vertx;
  private final Checkpoints checkpoints;
  private final Consumer<List<Effect>> perform;
  private final BooleanSupplier stopping;
  private final ArrayDeque<Batch> pending = new ArrayDeque<>();
  private boolean writing;

  /** @param perform carries out effects; not called once {@code stopping} says so */
  CheckpointedEffects(Vertx vertx, Checkpoints checkpoints, Consumer<List<Effect>> perform,
      BooleanSupplier stopping) {
    this.vertx = vertx;
    this.checkpoints = checkpoints;
    this.perform = perform;
    this.stopping = stopping;
  }

  void submit(List<CheckpointChange> changes, List<Effect> effects) {
    pending.addLast(new Batch(changes, effects));
    carryOut();
  }

  private void carryOut() {
    if (writing || pending.isEmpty()) {
      return;
    }
    List<Batch> batches = new ArrayList<>(pending);
    pending.clear();
    Map<TaskKey, CheckpointChange> newest = new LinkedHashMap<>();
    batches.forEach(batch -> batch.changes().forEach(change -> newest.put(change.task(), change)));
    if (newest.isEmpty()) {
      batches.forEach(this::performQuietly);
      return;
    }
    writing = true;
    List<CheckpointChange> changes = List.copyOf(newest.values());
    vertx.executeBlocking(() -> {
      checkpoints.apply(changes);
      return null;
    }, true).onComplete(written -> {
      writing = false;
      if (written.failed()) {
        LOG.error("could not write the checkpoints of {} task(s); a crash now would lose them", changes.size(),
            written.cause());
      }
      batches.forEach(this::performQuietly);
      carryOut(); // what came meanwhile
    });
  }

  private void performQuietly(Batch batch) {
    if (stopping.getAsBoolean()) {
      return; // the agent is leaving: its processes are being ended and nobody is told more
    }
    try {
      perform.accept(batch.effects());
    } catch (RuntimeException e) {
      LOG.error("carrying out {} failed", batch.effects(), e);
    }
  }
}
