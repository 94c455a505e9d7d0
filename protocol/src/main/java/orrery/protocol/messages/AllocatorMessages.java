package orrery.protocol.messages;

import java.util.List;
import java.util.Map;
import orrery.protocol.json.Fields;
import orrery.protocol.mesos.AgentId;
import orrery.protocol.mesos.AgentInfo;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.resources.Resources;

/** Messages to and from the allocator. */
public final class AllocatorMessages {

  private AllocatorMessages() {}

  /**
   * A framework joins the allocator under its roles. {@code minAllocatable} holds, per role, the alternatives of its
   * {@code offer_filters.min_allocatable_resources}: it is offered resources under that role only if they contain
   * one of them. {@code gpuResources} says whether it has the GPU_RESOURCES capability: only then is it offered
   * agents that have GPUs, as in Mesos.
   */
  public record AddFramework(FrameworkId frameworkId, List<String> roles, List<String> suppressedRoles,
      boolean active, Map<String, List<Resources>> minAllocatable, boolean gpuResources) {
    public AddFramework {
      Fields.required(frameworkId, "framework_id");
      roles = Fields.list(roles, "roles");
      suppressedRoles = Fields.list(suppressedRoles, "suppressed_roles");
      minAllocatable = minAllocatable == null ? Map.of() : Map.copyOf(minAllocatable);
    }

    public AddFramework(FrameworkId frameworkId, List<String> roles, List<String> suppressedRoles, boolean active) {
      this(frameworkId, roles, suppressedRoles, active, Map.of(), false);
    }
  }

  /**
   * Resources a framework no longer holds under {@code role}: declined or unused offers, finished tasks. With
   * {@code refuseSeconds} the framework is not offered them again on that agent for that long.
   */
  public record RecoverResources(FrameworkId frameworkId, String role, AgentId agentId, Resources resources,
      Double refuseSeconds) {
    public RecoverResources {
      Fields.required(frameworkId, "framework_id");
      Fields.required(role, "role");
      Fields.required(agentId, "agent_id");
      Fields.required(resources, "resources");
    }
  }

  /** REVIVE: clear the framework's filters and offer again to the given roles (all of them when none). */
  public record ReviveOffers(FrameworkId frameworkId, List<String> roles) {
    public ReviveOffers {
      Fields.required(frameworkId, "framework_id");
      roles = Fields.list(roles, "roles");
    }
  }

  /** SUPPRESS: stop offering to the given roles (all of them when none) until REVIVE. */
  public record SuppressOffers(FrameworkId frameworkId, List<String> roles) {
    public SuppressOffers {
      Fields.required(frameworkId, "framework_id");
      roles = Fields.list(roles, "roles");
    }
  }

  /** One decision of the allocator: these resources of this agent go to this framework under this role. */
  public record Allocation(FrameworkId frameworkId, String role, AgentInfo agent, Resources resources) {
    public Allocation {
      Fields.required(frameworkId, "framework_id");
      Fields.required(role, "role");
      Fields.required(agent, "agent");
      Fields.required(agent.id(), "agent.id");
      Fields.required(resources, "resources");
    }
  }

  /** The decisions of one allocation cycle, sent together. */
  public record Allocations(List<Allocation> allocations) {
    public Allocations {
      allocations = Fields.list(allocations, "allocations");
    }
  }
}
