package orrery.protocol.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import orrery.protocol.resources.MinAllocatable;
import orrery.protocol.resources.Resources;
import orrery.protocol.json.Fields;
import orrery.protocol.json.ProtocolException;

/** What a framework says about itself when it subscribes. */
public record FrameworkInfo(
    String user,
    String name,
    FrameworkId id,
    Double failoverTimeout,
    Boolean checkpoint,
    String role,
    List<String> roles,
    String hostname,
    String principal,
    String webuiUrl,
    List<Capability> capabilities,
    Labels labels,
    JsonNode offerFilters) {

  public static final String DEFAULT_ROLE = "*";

  public FrameworkInfo {
    Fields.required(user, "user");
    Fields.requiredText(name, "name");
    roles = Fields.list(roles, "roles");
    capabilities = Fields.list(capabilities, "capabilities");
    if (failoverTimeout != null) {
      Fields.nonNegative(failoverTimeout, "failover_timeout");
    }
    for (int i = 0; i < roles.size(); i++) {
      if (roles.get(i).isBlank()) {
        throw ProtocolException.invalid("roles[" + i + "]", "must not be empty");
      }
    }
    if (hasCapability(capabilities, Capability.Type.MULTI_ROLE)) {
      if (role != null && !role.equals(DEFAULT_ROLE) && !roles.isEmpty()) {
        throw ProtocolException.invalid("role", "must not be set together with 'roles' by a MULTI_ROLE framework");
      }
    } else if (!roles.isEmpty()) {
      throw ProtocolException.invalid("roles", "needs the MULTI_ROLE capability; use 'role' otherwise");
    }
    if (roles.size() != roles.stream().distinct().count()) {
      throw ProtocolException.invalid("roles", "must not name a role twice");
    }
    MinAllocatable.byRole(offerFilters); // refuses malformed filters at the door, naming the field
  }

  /** Per role, the alternatives of {@code offer_filters.min_allocatable_resources}. */
  public Map<String, List<Resources>> minAllocatableByRole() {
    return MinAllocatable.byRole(offerFilters);
  }

  public static FrameworkInfo of(String user, String name) {
    return new FrameworkInfo(user, name, null, null, null, null, null, null, null, null, null, null, null);
  }

  /** The roles this framework is offered resources under: {@code roles} for MULTI_ROLE, else {@code role}. */
  public List<String> effectiveRoles() {
    if (!roles.isEmpty()) {
      return roles;
    }
    return List.of(role == null ? DEFAULT_ROLE : role);
  }

  public boolean hasCapability(Capability.Type type) {
    return hasCapability(capabilities, type);
  }

  public double failoverTimeoutSeconds() {
    return failoverTimeout == null ? 0 : failoverTimeout;
  }

  public FrameworkInfo withId(FrameworkId newId) {
    return new FrameworkInfo(user, name, newId, failoverTimeout, checkpoint, role, roles, hostname, principal,
        webuiUrl, capabilities, labels, offerFilters);
  }

  public FrameworkInfo withRoles(String... newRoles) {
    List<Capability> withMultiRole = new java.util.ArrayList<>(capabilities);
    if (!hasCapability(Capability.Type.MULTI_ROLE)) {
      withMultiRole.add(new Capability(Capability.Type.MULTI_ROLE));
    }
    return new FrameworkInfo(user, name, id, failoverTimeout, checkpoint, null, List.of(newRoles), hostname,
        principal, webuiUrl, withMultiRole, labels, offerFilters);
  }

  public FrameworkInfo withFailoverTimeout(double seconds) {
    return new FrameworkInfo(user, name, id, seconds, checkpoint, role, roles, hostname, principal, webuiUrl,
        capabilities, labels, offerFilters);
  }

  public FrameworkInfo withCapabilities(Capability.Type... types) {
    List<Capability> list = java.util.Arrays.stream(types).map(Capability::new).toList();
    return new FrameworkInfo(user, name, id, failoverTimeout, checkpoint, role, roles, hostname, principal,
        webuiUrl, list, labels, offerFilters);
  }

  private static boolean hasCapability(List<Capability> capabilities, Capability.Type type) {
    return capabilities.stream().anyMatch(c -> c.type() == type);
  }

  public record Capability(Type type) {
    public enum Type {
      UNKNOWN, REVOCABLE_RESOURCES, TASK_KILLING_STATE, GPU_RESOURCES, SHARED_RESOURCES, PARTITION_AWARE,
      MULTI_ROLE, RESERVATION_REFINEMENT, REGION_AWARE
    }
  }
}
