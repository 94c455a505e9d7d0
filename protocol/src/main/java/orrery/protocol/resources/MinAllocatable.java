package orrery.protocol.resources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import orrery.protocol.json.ProtocolException;

/**
 * A framework's {@code offer_filters}, as Mesos' FrameworkInfo carries them: per role, the alternatives of
 * {@code min_allocatable_resources}, each a map of scalar quantities. The framework is offered resources under a role
 * only if they contain at least one alternative:
 * <pre>{"ads": {"min_allocatable_resources": {"quantities": [{"quantities": {"cpus": {"value": 1}}}]}}}</pre>
 */
public final class MinAllocatable {

  private MinAllocatable() {}

  /** The alternatives by role; empty when there are none. Malformed filters are refused naming the field. */
  public static Map<String, List<Resources>> byRole(JsonNode offerFilters) {
    if (offerFilters == null || offerFilters.isNull()) {
      return Map.of();
    }
    String base = "offer_filters";
    if (!offerFilters.isObject()) {
      throw ProtocolException.invalid(base, "must be an object of roles");
    }
    Map<String, List<Resources>> byRole = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> roles = offerFilters.fields(); roles.hasNext(); ) {
      Map.Entry<String, JsonNode> role = roles.next();
      String field = base + "." + role.getKey() + ".min_allocatable_resources";
      JsonNode min = role.getValue().path("min_allocatable_resources");
      if (min.isMissingNode() || min.isNull()) {
        continue;
      }
      JsonNode quantities = min.path("quantities");
      if (!quantities.isArray()) {
        throw ProtocolException.invalid(field + ".quantities", "must be a list");
      }
      List<Resources> alternatives = new ArrayList<>();
      for (int i = 0; i < quantities.size(); i++) {
        alternatives.add(quantities(quantities.get(i).path("quantities"), field + ".quantities[" + i + "].quantities"));
      }
      byRole.put(role.getKey(), List.copyOf(alternatives));
    }
    return Map.copyOf(byRole);
  }

  private static Resources quantities(JsonNode node, String field) {
    if (!node.isObject()) {
      throw ProtocolException.invalid(field, "must be an object of resource names to {\"value\": number}");
    }
    Resources.Builder builder = Resources.builder();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> quantity = it.next();
      JsonNode value = quantity.getValue().path("value");
      if (!value.isNumber() || value.asDouble() < 0 || !Double.isFinite(value.asDouble())) {
        throw ProtocolException.invalid(field + "." + quantity.getKey() + ".value", "must be a non-negative number");
      }
      builder.scalar(quantity.getKey(), value.asDouble());
    }
    return builder.build();
  }
}
