package orrery.protocol.bus;

import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.FrameworkId;

/**
 * Every event-bus address, {@code orrery.<service>.<verb>}. Request/reply where the sender needs an answer;
 * {@code publish} only for facts that any number of listeners may hear (marked below).
 */
public final class Addresses {

  private Addresses() {}

  /** Framework calls (Mesos v1 {@code Call} JSON) from the bridge, the HTTP API and built-in frameworks. */
  public static final String SCHEDULER = "orrery.scheduler";

  /** Events for one framework (Mesos v1 {@code Event} JSON) go to {@code orrery.framework.<frameworkId>}. */
  public static final String FRAMEWORK_PREFIX = "orrery.framework.";

  public static String framework(FrameworkId frameworkId) {
    return FRAMEWORK_PREFIX + frameworkId.value();
  }

  // offer-service
  public static final String OFFERS_ALLOCATIONS = "orrery.offers.allocations";
  public static final String OFFERS_CONNECTED = "orrery.offers.connected";
  public static final String OFFERS_DISCONNECTED = "orrery.offers.disconnected";
  public static final String OFFERS_MAY_REGISTER = "orrery.offers.may-register";
  public static final String OFFERS_HEALTH = "orrery.offers.health";
  /**
   * Published by an offer broker once it has started (a standby that took over, or one restarted): the allocator
   * rebuilds itself (the old broker's offers are gone with it), and gateways tell it the framework connections they
   * hold ({@link #OFFERS_CONNECTED}), so that those frameworks' streams go on.
   */
  public static final String OFFERS_STARTED = "orrery.offers.started";

  // allocator-service
  public static final String ALLOCATOR_ADD_AGENT = "orrery.allocator.add-agent";
  public static final String ALLOCATOR_ADD_FRAMEWORK = "orrery.allocator.add-framework";
  public static final String ALLOCATOR_ACTIVATE_FRAMEWORK = "orrery.allocator.activate-framework";
  public static final String ALLOCATOR_DEACTIVATE_FRAMEWORK = "orrery.allocator.deactivate-framework";
  public static final String ALLOCATOR_REMOVE_FRAMEWORK = "orrery.allocator.remove-framework";
  public static final String ALLOCATOR_RECOVER = "orrery.allocator.recover";
  public static final String ALLOCATOR_REVIVE = "orrery.allocator.revive";
  public static final String ALLOCATOR_SUPPRESS = "orrery.allocator.suppress";
  public static final String ALLOCATOR_HEALTH = "orrery.allocator.health";
  /**
   * Published by an allocator once it has started and rebuilt its agents: offer-service adds its frameworks to it
   * again and rescinds the offers the previous allocator made.
   */
  public static final String ALLOCATOR_STARTED = "orrery.allocator.started";

  // task-registry
  public static final String REGISTRY_REGISTER_AGENT = "orrery.registry.register-agent";
  public static final String REGISTRY_AGENT_HEARTBEAT = "orrery.registry.agent-heartbeat";
  /** An operator drains (deactivates) or reactivates an agent: recorded before the allocator applies it. */
  public static final String REGISTRY_AGENT_ACTIVATION = "orrery.registry.agent-activation";
  public static final String REGISTRY_UNREGISTER_AGENT = "orrery.registry.unregister-agent";
  public static final String REGISTRY_FRAMEWORK_SUBSCRIBED = "orrery.registry.framework-subscribed";
  public static final String REGISTRY_FRAMEWORK_REMOVED = "orrery.registry.framework-removed";
  /** The framework's connection closed: the registry keeps its failover deadline. */
  public static final String REGISTRY_FRAMEWORK_DISCONNECTED = "orrery.registry.framework-disconnected";
  /** The framework listens again: the registry forwards its unacknowledged updates once more. */
  public static final String REGISTRY_FRAMEWORK_CONNECTED = "orrery.registry.framework-connected";
  /** The agents the registry knows, with their running tasks, for an allocator that starts. */
  public static final String REGISTRY_KNOWN_AGENTS = "orrery.registry.known-agents";
  /** Every framework the registry recorded, for an offer-service that starts. */
  public static final String REGISTRY_FRAMEWORKS = "orrery.registry.frameworks";
  public static final String REGISTRY_LAUNCH = "orrery.registry.launch";
  public static final String REGISTRY_KILL = "orrery.registry.kill";
  public static final String REGISTRY_STATUS_UPDATE = "orrery.registry.status-update";
  public static final String REGISTRY_ACKNOWLEDGE = "orrery.registry.acknowledge";
  public static final String REGISTRY_RECONCILE = "orrery.registry.reconcile";
  public static final String REGISTRY_AGENTS = "orrery.registry.agents";
  public static final String REGISTRY_TASKS = "orrery.registry.tasks";
  public static final String REGISTRY_HEALTH = "orrery.registry.health";

  // the built-in REST framework (rest-framework), which runs beside the offer broker: the gateways' /v1/tasks asks it
  /** Request with the body of {@code POST /v1/tasks}: the task queued, as the REST API shows it. */
  public static final String REST_SUBMIT = "orrery.rest.submit";
  /** Request: {@code {"tasks": [...]}}, every task of the REST framework. */
  public static final String REST_TASKS = "orrery.rest.tasks";
  /** Request with a {@code RestTaskRef}: that task; failed with 404 for an unknown id. */
  public static final String REST_TASK = "orrery.rest.task";
  /** Request with a {@code RestTaskRef}: the task being killed; failed with 404 (unknown) or 409 (it had ended). */
  public static final String REST_KILL = "orrery.rest.kill";
  /** Up once the REST framework has subscribed. */
  public static final String REST_HEALTH = "orrery.rest.health";

  /**
   * Published: close this connection (an HTTP event stream or a bridge socket), because its framework subscribed
   * again elsewhere or was torn down. Whichever gateway holds the connection closes it.
   */
  public static final String GATEWAY_CLOSE_CONNECTION = "orrery.gateway.close-connection";

  /** Published: an agent has left the cluster (unregistered or missed its heartbeats). */
  public static final String AGENT_REMOVED = "orrery.agents.removed";

  // one agent: orrery.agent.<agentId>.<verb>
  public static String agentLaunch(AgentId agentId) {
    return "orrery.agent." + agentId.value() + ".launch";
  }

  public static String agentKill(AgentId agentId) {
    return "orrery.agent." + agentId.value() + ".kill";
  }

  public static String agentAcknowledge(AgentId agentId) {
    return "orrery.agent." + agentId.value() + ".acknowledge";
  }

  public static String agentShutdownFramework(AgentId agentId) {
    return "orrery.agent." + agentId.value() + ".shutdown-framework";
  }

  // Role weights and quota (the operator API). The allocator applies them; the registry keeps them.
  /** Request: the allocator's {@code RoleStates}. */
  public static final String ALLOCATOR_ROLES = "orrery.allocator.roles";
  /** DEACTIVATE_AGENT and REACTIVATE_AGENT; failed with 404 for an agent the allocator does not know. */
  public static final String ALLOCATOR_AGENT_ACTIVATION = "orrery.allocator.agent-activation";
  /** Request: the weights and quota in effect, as a {@code RoleConfig}. */
  public static final String ALLOCATOR_ROLE_CONFIG = "orrery.allocator.role-config";
  /** Request with {@code UpdateWeights}: recorded in the registry, then applied; 400 changes nothing. */
  public static final String ALLOCATOR_UPDATE_WEIGHTS = "orrery.allocator.update-weights";
  /** Request with {@code UpdateQuota}: recorded in the registry, then applied; 400 changes nothing. */
  public static final String ALLOCATOR_UPDATE_QUOTA = "orrery.allocator.update-quota";
  /** Request: the weights and quota the registry keeps, as a {@code RoleConfig}. */
  public static final String REGISTRY_ROLE_CONFIG = "orrery.registry.role-config";
  public static final String REGISTRY_UPDATE_WEIGHTS = "orrery.registry.update-weights";
  public static final String REGISTRY_UPDATE_QUOTA = "orrery.registry.update-quota";
  /** Request: per role, what outstanding offers hold, as {@code OfferedResources}. */
  public static final String OFFERS_OFFERED = "orrery.offers.offered";

  /** The header on {@link #SCHEDULER} calls naming the connection (HTTP stream or bridge socket) they came on. */
  public static final String CONNECTION_HEADER = "orrery-connection";
}
