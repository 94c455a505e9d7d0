package orrery.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.messages.TaskMessages.Acknowledgement;
import orrery.protocol.messages.TaskMessages.LaunchTasks;
import orrery.protocol.messages.TaskMessages.StatusUpdate;
import orrery.protocol.resources.Resources;
import orrery.registry.core.AgentRecord;
import orrery.registry.core.AgentState;
import orrery.registry.core.Registry;
import orrery.registry.core.RegistryChange;
import orrery.registry.core.RegistrySnapshot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RegistryStore} must do, run against each of them. The changes come from a real {@link Registry}
 * core, and what a store loads is compared with what the registry holds.
 */
abstract class RegistryStoreContract {

  private static final FrameworkId F = FrameworkId.of("F");

  protected RegistryStore store;

  /** A store on empty storage. */
  protected abstract RegistryStore openEmpty() throws Exception;

  /** A new store on the storage the current one used (after it was closed), or null when nothing outlives it. */
  protected abstract RegistryStore reopen() throws Exception;

  @BeforeEach
  void openStore() throws Exception {
    store = openEmpty();
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  @Test
  void anEmptyStoreLoadsNothing() throws Exception {
    assertThat(json(load(store))).isEqualTo(json(RegistrySnapshot.EMPTY));
  }

  @Test
  void loadsWhatTheRegistryHoldsAfterAWholeTaskLife() throws Exception {
    Registry registry = new Registry("M");
    AgentId agent = registry.registerAgent(new AgentInfo("node-1", 5051, Resources.cpusMem(4, 4096).toList(), null,
        null, null), Resources.cpusMem(4, 4096), List.of(), 1_000).agentId();
    registry.frameworkSubscribed(FrameworkInfo.of("u", "f").withId(F));
    TaskInfo task = TaskInfo.command("t", TaskId.of("t1"), agent, Resources.cpusMem(1, 128).toList("web"),
        CommandInfo.shell("sleep 1"));
    registry.launch(new LaunchTasks(F, agent, List.of(task)), 2_000);
    apply(registry.drainChanges());
    registry.statusUpdate(update(task, TaskState.TASK_RUNNING, 1, 3_000));
    registry.acknowledge(new Acknowledgement(F, agent, task.taskId(), new byte[] {1}));
    registry.statusUpdate(update(task, TaskState.TASK_FINISHED, 2, 4_000));
    registry.updateWeights(List.of(new WeightInfo("web", 2.5)));
    registry.updateQuota(List.of(new QuotaConfig("web", Resources.parse("cpus:1;mem:64"), Resources.parse("cpus:3"))));
    apply(registry.drainChanges());

    RegistrySnapshot loaded = load(store);

    assertThat(json(loaded)).isEqualTo(json(registry.snapshot()));
    assertThat(loaded.tasks()).singleElement().satisfies(t -> {
      assertThat(t.history()).extracting(TaskStatus::state)
          .containsExactly(TaskState.TASK_STAGING, TaskState.TASK_RUNNING, TaskState.TASK_FINISHED);
      assertThat(t.history().get(2).timestamp()).isEqualTo(4.0);
      assertThat(t.unacknowledged()).hasSize(1);
    });
  }

  @Test
  void aTaskIdTakenAgainAfterItsTaskEndedStartsAFreshHistory() throws Exception {
    Registry registry = new Registry("M");
    AgentId agent = registry.registerAgent(new AgentInfo("node-1", 5051, null, null, null, null),
        Resources.cpusMem(4, 4096), List.of(), 1).agentId();
    registry.frameworkSubscribed(FrameworkInfo.of("u", "f").withId(F));
    TaskInfo first = TaskInfo.command("t", TaskId.of("t1"), agent, Resources.cpusMem(1, 128).toList("*"),
        CommandInfo.shell("true"));
    registry.launch(new LaunchTasks(F, agent, List.of(first)), 2);
    registry.statusUpdate(update(first, TaskState.TASK_FINISHED, 1, 3));
    apply(registry.drainChanges());
    TaskInfo again = TaskInfo.command("t-again", TaskId.of("t1"), agent, Resources.cpusMem(2, 64).toList("*"),
        CommandInfo.shell("sleep 1"));
    registry.launch(new LaunchTasks(F, agent, List.of(again)), 4);
    apply(registry.drainChanges());

    RegistrySnapshot loaded = load(store);

    assertThat(json(loaded)).isEqualTo(json(registry.snapshot()));
    assertThat(loaded.tasks()).singleElement().satisfies(t -> {
      assertThat(t.info().name()).isEqualTo("t-again");
      assertThat(t.history()).extracting(TaskStatus::state).containsExactly(TaskState.TASK_STAGING);
    });
  }

  @Test
  void theLatestRecordWinsAndRemovalsAreKept() throws Exception {
    AgentInfo info = new AgentInfo("node-1", 5051, null, null, AgentId.of("A"), null);
    apply(List.of(
        new RegistryChange.AgentSaved(new AgentRecord(info, Resources.cpusMem(1, 1),
            AgentState.ACTIVE, 1)),
        new RegistryChange.AgentSaved(new AgentRecord(info, Resources.cpusMem(2, 2),
            AgentState.UNREACHABLE, 2)),
        new RegistryChange.AgentSaved(new AgentRecord(info.withId(AgentId.of("B")),
            Resources.cpusMem(1, 1), AgentState.ACTIVE, 3)),
        new RegistryChange.RoleWeightSaved(new WeightInfo("eng", 2)),
        new RegistryChange.RoleQuotaSaved(new QuotaConfig("ads", null, Resources.parse("mem:64")))));
    apply(List.of(new RegistryChange.AgentDeleted(AgentId.of("B")),
        new RegistryChange.RoleWeightSaved(new WeightInfo("eng", 3)),
        new RegistryChange.RoleQuotaSaved(new QuotaConfig("ads", null, null))));

    RegistrySnapshot loaded = load(store);

    assertThat(loaded.agents()).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AgentState.UNREACHABLE);
      assertThat(a.total()).isEqualTo(Resources.cpusMem(2, 2));
      assertThat(a.stateSinceMillis()).isEqualTo(2);
    });
    assertThat(loaded.weights()).containsExactly(new WeightInfo("eng", 3));
    assertThat(loaded.quotas()).isEmpty();
  }

  @Test
  void aHistoryEntryRecordedTwiceIsKeptOnce() throws Exception {
    TaskStatus first = TaskStatus.builder(TaskId.of("t1"), TaskState.TASK_RUNNING).uuid(new byte[] {1}).build();
    TaskStatus other = TaskStatus.builder(TaskId.of("t1"), TaskState.TASK_FAILED).uuid(new byte[] {2}).build();
    RegistryChange entry = new RegistryChange.TaskStatusRecorded(F, TaskId.of("t1"), 0, first);
    apply(List.of(entry));
    apply(List.of(entry, new RegistryChange.TaskStatusRecorded(F, TaskId.of("t1"), 0, other)));
    // Without its task record a history is not loaded; the registry always saves both together.
    assertThat(load(store).tasks()).isEmpty();
  }

  @Test
  void callsCompleteInTheOrderTheyWereMadeEmptyOnesIncluded() throws Exception {
    List<Integer> completed = Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<Void>> calls = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      int call = i;
      List<RegistryChange> changes = i % 3 == 0 ? List.of()
          : List.of(new RegistryChange.RoleWeightSaved(new WeightInfo("r" + (i % 7), 1 + i)));
      calls.add(store.apply(changes).toCompletableFuture().thenRun(() -> completed.add(call)));
    }
    CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);

    assertThat(completed).isSorted().hasSize(500);
    assertThat(load(store).weights()).contains(new WeightInfo("r6", 1 + 496));
  }

  @Test
  void whatACompletedCallWroteOutlivesTheStore() throws Exception {
    Registry registry = new Registry("M");
    registry.registerAgent(new AgentInfo("node-1", 5051, null, null, null, null), Resources.cpusMem(4, 4096),
        List.of(), 7);
    registry.frameworkSubscribed(FrameworkInfo.of("u", "f").withId(F));
    apply(registry.drainChanges());
    store.close();

    store = reopen();
    if (store == null) {
      store = openEmpty();
      return; // nothing outlives this store, by design
    }
    assertThat(json(load(store))).isEqualTo(json(registry.snapshot()));
  }

  private static StatusUpdate update(TaskInfo task, TaskState state, int uuid, long timestampMillis) {
    return new StatusUpdate(F, TaskStatus.builder(task.taskId(), state).agentId(task.agentId())
        .uuid(new byte[] {(byte) uuid}).timestampMillis(timestampMillis).build(), state);
  }

  protected void apply(List<RegistryChange> changes) throws Exception {
    store.apply(changes).toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  protected static RegistrySnapshot load(RegistryStore from) throws Exception {
    return from.load().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** Records holding byte arrays (uuids) are compared by their JSON, which compares the bytes. */
  protected static JsonNode json(RegistrySnapshot snapshot) {
    return MesosJson.mapper().valueToTree(snapshot);
  }
}
