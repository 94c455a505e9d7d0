-- The registry's tables, the same for PostgreSQL and SQLite (the embedded store): plain types both read alike,
-- Mesos v1 JSON in TEXT columns, upserts by primary key. A migration that needs a dialect of its own gets a
-- location of its own then.

-- Agents with their AgentInfo; state is ACTIVE, UNREACHABLE or GONE since state_since (epoch ms).
CREATE TABLE agents (
  agent_id    TEXT PRIMARY KEY,
  info        TEXT NOT NULL,
  total       TEXT NOT NULL,
  state       TEXT NOT NULL,
  state_since BIGINT NOT NULL
);

-- Frameworks with their FrameworkInfo; failover_deadline (epoch ms) is set while the framework is disconnected.
CREATE TABLE frameworks (
  framework_id      TEXT PRIMARY KEY,
  info              TEXT NOT NULL,
  removed           BOOLEAN NOT NULL,
  failover_deadline BIGINT
);

-- Tasks with their TaskInfo and latest TaskStatus; unacknowledged holds the base64 uuids (a JSON array) forwarded
-- to the framework and not yet acknowledged.
CREATE TABLE tasks (
  framework_id        TEXT NOT NULL,
  task_id             TEXT NOT NULL,
  agent_id            TEXT NOT NULL,
  info                TEXT NOT NULL,
  role                TEXT NOT NULL,
  resources           TEXT NOT NULL,
  state               TEXT NOT NULL,
  latest_status       TEXT NOT NULL,
  unacknowledged      TEXT NOT NULL,
  resources_recovered BOOLEAN NOT NULL,
  PRIMARY KEY (framework_id, task_id)
);

-- Every status a task went through, in order (seq from 0); state, reason, uuid and timestamp are copied out of
-- the status for queries by hand.
CREATE TABLE task_status_history (
  framework_id TEXT NOT NULL,
  task_id      TEXT NOT NULL,
  seq          INTEGER NOT NULL,
  state        TEXT NOT NULL,
  reason       TEXT,
  uuid         TEXT,
  timestamp_ms BIGINT,
  status       TEXT NOT NULL,
  PRIMARY KEY (framework_id, task_id, seq)
);

CREATE TABLE role_weights (
  role   TEXT PRIMARY KEY,
  weight DOUBLE PRECISION NOT NULL
);

CREATE TABLE role_quotas (
  role       TEXT PRIMARY KEY,
  guarantees TEXT NOT NULL,
  limits     TEXT NOT NULL
);
