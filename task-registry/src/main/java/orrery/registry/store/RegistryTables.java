package orrery.registry.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.mesos.TaskId;
import orrery.protocol.mesos.TaskInfo;
import orrery.protocol.mesos.TaskState;
import orrery.protocol.mesos.TaskStatus;
import orrery.protocol.messages.RoleMessages.QuotaConfig;
import orrery.protocol.messages.RoleMessages.WeightInfo;
import orrery.protocol.resources.Resources;
import orrery.registry.core.AgentRecord;
import orrery.registry.core.AgentState;
import orrery.registry.core.FrameworkRecord;
import orrery.registry.core.RegistrySnapshot;
import orrery.registry.core.TaskRecord;

/**
 * The registry's rows (see {@code db/registry/V1__registry.sql}): folded changes written as batches of upserts, and
 * read back as a snapshot. Records travel as Mesos v1 JSON, the same text the API speaks.
 */
final class RegistryTables {

  private static final String UPSERT_AGENT = "INSERT INTO agents (agent_id, info, total, state, state_since) "
      + "VALUES (?, ?, ?, ?, ?) ON CONFLICT (agent_id) DO UPDATE SET info = excluded.info, total = excluded.total, "
      + "state = excluded.state, state_since = excluded.state_since";
  private static final String DELETE_AGENT = "DELETE FROM agents WHERE agent_id = ?";
  private static final String UPSERT_FRAMEWORK = "INSERT INTO frameworks (framework_id, info, removed, "
      + "failover_deadline) VALUES (?, ?, ?, ?) ON CONFLICT (framework_id) DO UPDATE SET info = excluded.info, "
      + "removed = excluded.removed, failover_deadline = excluded.failover_deadline";
  private static final String UPSERT_TASK = "INSERT INTO tasks (framework_id, task_id, agent_id, info, role, "
      + "resources, state, latest_status, unacknowledged, resources_recovered) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (framework_id, task_id) DO UPDATE SET agent_id = excluded.agent_id, info = excluded.info, "
      + "role = excluded.role, resources = excluded.resources, state = excluded.state, "
      + "latest_status = excluded.latest_status, unacknowledged = excluded.unacknowledged, "
      + "resources_recovered = excluded.resources_recovered";
  // All a status update or an acknowledgement changes: TaskInfo and resources are written once, at launch.
  private static final String UPDATE_TASK_STATE = "UPDATE tasks SET state = ?, latest_status = ?, "
      + "unacknowledged = ?, resources_recovered = ? WHERE framework_id = ? AND task_id = ?";
  private static final String DELETE_HISTORY = "DELETE FROM task_status_history WHERE framework_id = ? "
      + "AND task_id = ?";
  // A history entry is written once; writing it again (a group retried after a failure) changes nothing.
  private static final String INSERT_HISTORY = "INSERT INTO task_status_history (framework_id, task_id, seq, state, "
      + "reason, uuid, timestamp_ms, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (framework_id, task_id, seq) DO NOTHING";
  private static final String UPSERT_WEIGHT = "INSERT INTO role_weights (role, weight) VALUES (?, ?) "
      + "ON CONFLICT (role) DO UPDATE SET weight = excluded.weight";
  private static final String UPSERT_QUOTA = "INSERT INTO role_quotas (role, guarantees, limits) VALUES (?, ?, ?) "
      + "ON CONFLICT (role) DO UPDATE SET guarantees = excluded.guarantees, limits = excluded.limits";
  private static final String DELETE_QUOTA = "DELETE FROM role_quotas WHERE role = ?";

  private static final String RAISE_FENCE = "UPDATE registry_leader SET fence = ? WHERE id = 1 AND fence <= ?";
  private static final String INSERT_FENCE = "INSERT INTO registry_leader (id, fence) VALUES (1, ?) "
      + "ON CONFLICT (id) DO NOTHING";

  private RegistryTables() {}

  /**
   * Within the transaction about to write: raises the stored fence to {@code fence}, or refuses when a newer leader
   * has written a higher one. The row is locked until the commit, so two leaders cannot both pass.
   */
  static void checkFence(Connection connection, long fence) throws SQLException {
    try (PreparedStatement raise = connection.prepareStatement(RAISE_FENCE)) {
      raise.setLong(1, fence);
      raise.setLong(2, fence);
      if (raise.executeUpdate() == 1) {
        return;
      }
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_FENCE)) {
      insert.setLong(1, fence);
      if (insert.executeUpdate() == 1) {
        return;
      }
    }
    try (Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT fence FROM registry_leader WHERE id = 1")) {
      row.next();
      throw new FencedOut(fence, row.getLong(1));
    }
  }

  /** Writes one group; the caller commits. */
  static void write(Connection connection, FoldedChanges changes) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_AGENT);
        PreparedStatement delete = connection.prepareStatement(DELETE_AGENT)) {
      for (Map.Entry<AgentId, AgentRecord> entry : changes.agents.entrySet()) {
        AgentRecord agent = entry.getValue();
        if (agent == null) {
          delete.setString(1, entry.getKey().value());
          delete.addBatch();
        } else {
          upsert.setString(1, entry.getKey().value());
          upsert.setString(2, MesosJson.write(agent.info()));
          upsert.setString(3, MesosJson.write(agent.total()));
          upsert.setString(4, agent.state().name());
          upsert.setLong(5, agent.stateSinceMillis());
          upsert.addBatch();
        }
      }
      upsert.executeBatch();
      delete.executeBatch();
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_FRAMEWORK)) {
      for (FrameworkRecord framework : changes.frameworks.values()) {
        upsert.setString(1, framework.info().id().value());
        upsert.setString(2, MesosJson.write(framework.info()));
        upsert.setBoolean(3, framework.removed());
        setLong(upsert, 4, framework.failoverDeadlineMillis());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_TASK);
        PreparedStatement update = connection.prepareStatement(UPDATE_TASK_STATE);
        PreparedStatement forget = connection.prepareStatement(DELETE_HISTORY)) {
      for (Map.Entry<FoldedChanges.TaskKey, TaskRecord> entry : changes.tasks.entrySet()) {
        TaskRecord task = entry.getValue();
        if (changes.launched.contains(entry.getKey())) {
          upsert.setString(1, task.frameworkId().value());
          upsert.setString(2, task.taskId().value());
          upsert.setString(3, task.agentId().value());
          upsert.setString(4, MesosJson.write(task.info()));
          upsert.setString(5, task.role());
          upsert.setString(6, MesosJson.write(task.resources()));
          upsert.setString(7, task.state().name());
          upsert.setString(8, MesosJson.write(task.latestStatus()));
          upsert.setString(9, MesosJson.write(task.unacknowledged()));
          upsert.setBoolean(10, task.resourcesRecovered());
          upsert.addBatch();
          forget.setString(1, task.frameworkId().value());
          forget.setString(2, task.taskId().value());
          forget.addBatch();
        } else {
          update.setString(1, task.state().name());
          update.setString(2, MesosJson.write(task.latestStatus()));
          update.setString(3, MesosJson.write(task.unacknowledged()));
          update.setBoolean(4, task.resourcesRecovered());
          update.setString(5, task.frameworkId().value());
          update.setString(6, task.taskId().value());
          update.addBatch();
        }
      }
      upsert.executeBatch();
      update.executeBatch();
      forget.executeBatch();
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_HISTORY)) {
      for (Map.Entry<FoldedChanges.TaskKey, Map<Integer, TaskStatus>> task : changes.history.entrySet()) {
        for (Map.Entry<Integer, TaskStatus> entry : task.getValue().entrySet()) {
          TaskStatus status = entry.getValue();
          insert.setString(1, task.getKey().frameworkId().value());
          insert.setString(2, task.getKey().taskId().value());
          insert.setInt(3, entry.getKey());
          insert.setString(4, status.state().name());
          insert.setString(5, status.reason() == null ? null : status.reason().name());
          insert.setString(6, status.uuid() == null ? null : Base64.getEncoder().encodeToString(status.uuid()));
          setLong(insert, 7, status.timestamp() == null ? null : Math.round(status.timestamp() * 1000));
          insert.setString(8, MesosJson.write(status));
          insert.addBatch();
        }
      }
      insert.executeBatch();
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_WEIGHT)) {
      for (WeightInfo weight : changes.weights.values()) {
        upsert.setString(1, weight.role());
        upsert.setDouble(2, weight.weight());
        upsert.addBatch();
      }
      upsert.executeBatch();
    }
    try (PreparedStatement upsert = connection.prepareStatement(UPSERT_QUOTA);
        PreparedStatement delete = connection.prepareStatement(DELETE_QUOTA)) {
      for (Map.Entry<String, QuotaConfig> entry : changes.quotas.entrySet()) {
        QuotaConfig quota = entry.getValue();
        if (quota == null) {
          delete.setString(1, entry.getKey());
          delete.addBatch();
        } else {
          upsert.setString(1, quota.role());
          upsert.setString(2, MesosJson.write(quota.guarantees()));
          upsert.setString(3, MesosJson.write(quota.limits()));
          upsert.addBatch();
        }
      }
      upsert.executeBatch();
      delete.executeBatch();
    }
  }

  static RegistrySnapshot read(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      List<AgentRecord> agents = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery(
          "SELECT info, total, state, state_since FROM agents ORDER BY agent_id")) {
        while (rows.next()) {
          agents.add(new AgentRecord(MesosJson.read(rows.getString(1), AgentInfo.class),
              MesosJson.read(rows.getString(2), Resources.class), AgentState.valueOf(rows.getString(3)),
              rows.getLong(4)));
        }
      }
      List<FrameworkRecord> frameworks = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery(
          "SELECT info, removed, failover_deadline FROM frameworks ORDER BY framework_id")) {
        while (rows.next()) {
          long deadline = rows.getLong(3);
          Long failoverDeadline = rows.wasNull() ? null : deadline;
          frameworks.add(new FrameworkRecord(MesosJson.read(rows.getString(1), FrameworkInfo.class),
              rows.getBoolean(2), failoverDeadline));
        }
      }
      Map<FoldedChanges.TaskKey, List<TaskStatus>> histories = new LinkedHashMap<>();
      try (ResultSet rows = statement.executeQuery(
          "SELECT framework_id, task_id, status FROM task_status_history ORDER BY framework_id, task_id, seq")) {
        while (rows.next()) {
          histories.computeIfAbsent(new FoldedChanges.TaskKey(FrameworkId.of(rows.getString(1)),
              TaskId.of(rows.getString(2))), k -> new ArrayList<>())
              .add(MesosJson.read(rows.getString(3), TaskStatus.class));
        }
      }
      List<TaskRecord> tasks = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("SELECT framework_id, task_id, info, role, resources, state, "
          + "latest_status, unacknowledged, resources_recovered FROM tasks ORDER BY framework_id, task_id")) {
        while (rows.next()) {
          FoldedChanges.TaskKey key = new FoldedChanges.TaskKey(FrameworkId.of(rows.getString(1)),
              TaskId.of(rows.getString(2)));
          tasks.add(new TaskRecord(key.frameworkId(), MesosJson.read(rows.getString(3), TaskInfo.class),
              rows.getString(4), MesosJson.read(rows.getString(5), Resources.class),
              TaskState.valueOf(rows.getString(6)), MesosJson.read(rows.getString(7), TaskStatus.class),
              histories.getOrDefault(key, List.of()), List.of(MesosJson.read(rows.getString(8), String[].class)),
              rows.getBoolean(9)));
        }
      }
      List<WeightInfo> weights = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("SELECT role, weight FROM role_weights ORDER BY role")) {
        while (rows.next()) {
          weights.add(new WeightInfo(rows.getString(1), rows.getDouble(2)));
        }
      }
      List<QuotaConfig> quotas = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery("SELECT role, guarantees, limits FROM role_quotas ORDER BY role")) {
        while (rows.next()) {
          quotas.add(new QuotaConfig(rows.getString(1), MesosJson.read(rows.getString(2), Resources.class),
              MesosJson.read(rows.getString(3), Resources.class)));
        }
      }
      return new RegistrySnapshot(agents, frameworks, tasks, weights, quotas);
    }
  }

  private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
    if (value == null) {
      statement.setNull(index, Types.BIGINT);
    } else {
      statement.setLong(index, value);
    }
  }
}
