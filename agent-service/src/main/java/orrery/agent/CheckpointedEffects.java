package orrery.agent;

import io.vertx.core.Vertx;
import java.util.ArrayDeque;
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
 * Carries out the core's decisions after writing the checkpoints they need: a status update is on disk before it is
 * sent, and a task before its process starts (its container may be prepared meanwhile: see
 * {@link Effect#waitsForCheckpoint}). Batches are carried out in the order the core decided them. One write
 * runs at a time; the changes that come meanwhile are written together next (the newest of each task), so a burst
 * costs few writes. A batch whose changes are not {@linkplain CheckpointChange#gating gating} (an acknowledgement)
 * waits for no write of its own: it is carried out as soon as the batches before it are, and its changes go into the
 * next write, which a gating change starts at once and which otherwise starts {@link #DEFERRED_WRITE_MILLIS} later
 * (so that acknowledgements mostly ride along with the next task's or update's write instead of delaying it). Nothing
 * is written once the agent stops (a clean stop clears the checkpoints). The queue is worked through in a loop, never by chaining callbacks, so that a burst of thousands cannot
 * run the stack out. Used on the agent's context only.
 */
final class CheckpointedEffects {

  private static final Logger LOG = LoggerFactory.getLogger(CheckpointedEffects.class);
  /** How long changes that hold nothing back may wait to be written. */
  static final long DEFERRED_WRITE_MILLIS = 100;

  /** Effects that may be carried out once every write up to {@code needs} is done. */
  private record Batch(List<Effect> effects, long needs) {}

  private final Vertx vertx;
  private final Checkpoints checkpoints;
  private final Consumer<List<Effect>> perform;
  private final BooleanSupplier stopping;
  private final ArrayDeque<Batch> waiting = new ArrayDeque<>();
  /** Changes not yet handed to a write, the newest of each task. */
  private final Map<TaskKey, CheckpointChange> unwritten = new LinkedHashMap<>();
  /** The number of the write that will take {@code unwritten}; writes are numbered from 1 and done in order. */
  private long next = 1;
  /** Every write up to this number is done. */
  private long written;
  private boolean writing;
  /** Whether {@code unwritten} holds a gating change: then the next write starts as soon as it can. */
  private boolean gatingUnwritten;
  private long deferredTimer = -1;

  /** @param perform carries out effects; not called once {@code stopping} says so */
  CheckpointedEffects(Vertx vertx, Checkpoints checkpoints, Consumer<List<Effect>> perform,
      BooleanSupplier stopping) {
    this.vertx = vertx;
    this.checkpoints = checkpoints;
    this.perform = perform;
    this.stopping = stopping;
  }

  void submit(List<CheckpointChange> changes, List<Effect> decided) {
    List<Effect> effects = decided;
    if (decided.stream().anyMatch(effect -> !effect.waitsForCheckpoint())) {
      performQuietly(decided.stream().filter(effect -> !effect.waitsForCheckpoint()).toList());
      effects = decided.stream().filter(Effect::waitsForCheckpoint).toList();
    }
    boolean gating = false;
    for (CheckpointChange change : changes) {
      unwritten.put(change.task(), change);
      gating |= change.gating();
    }
    gatingUnwritten |= gating;
    long needs = gating ? next : waiting.isEmpty() ? written : waiting.peekLast().needs();
    if (needs <= written) {
      performQuietly(effects); // nothing before it waits, and it needs no write of its own
    } else {
      waiting.addLast(new Batch(effects, needs));
    }
    writeSoon();
  }

  /** Starts the next write now when it holds a gating change, else after {@link #DEFERRED_WRITE_MILLIS}. */
  private void writeSoon() {
    if (gatingUnwritten) {
      write();
    } else if (!unwritten.isEmpty() && deferredTimer < 0 && !writing) {
      deferredTimer = vertx.setTimer(DEFERRED_WRITE_MILLIS, id -> {
        deferredTimer = -1;
        write();
      });
    }
  }

  private void write() {
    if (writing || unwritten.isEmpty() || stopping.getAsBoolean()) {
      return;
    }
    if (deferredTimer >= 0) {
      vertx.cancelTimer(deferredTimer);
      deferredTimer = -1;
    }
    writing = true;
    gatingUnwritten = false;
    long number = next++;
    List<CheckpointChange> changes = List.copyOf(unwritten.values());
    unwritten.clear();
    vertx.executeBlocking(() -> {
      checkpoints.apply(changes);
      return null;
    }, true).onComplete(done -> {
      writing = false;
      written = number;
      if (done.failed()) {
        LOG.error("could not write the checkpoints of {} task(s); a crash now would lose them", changes.size(),
            done.cause());
      }
      while (!waiting.isEmpty() && waiting.peekFirst().needs() <= written) {
        performQuietly(waiting.pollFirst().effects());
      }
      writeSoon(); // what came meanwhile
    });
  }

  private void performQuietly(List<Effect> effects) {
    if (stopping.getAsBoolean() || effects.isEmpty()) {
      return; // the agent is leaving: its processes are being ended and nobody is told more
    }
    try {
      perform.accept(effects);
    } catch (RuntimeException e) {
      LOG.error("carrying out {} failed", effects, e);
    }
  }
}
