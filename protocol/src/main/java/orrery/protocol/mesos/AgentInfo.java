package orrery.protocol.mesos;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import orrery.protocol.json.Fields;

/** What an agent says about its machine when it registers. */
public record AgentInfo(
    String hostname,
    Integer port,
    List<Resource> resources,
    List<Attribute> attributes,
    AgentId id,
    JsonNode domain) {

  public static final int DEFAULT_PORT = 5051;

  public AgentInfo {
    Fields.requiredText(hostname, "hostname");
    resources = Fields.list(resources, "resources");
    attributes = Fields.list(attributes, "attributes");
  }

  public int effectivePort() {
    return port == null ? DEFAULT_PORT : port;
  }

  public AgentInfo withId(AgentId newId) {
    return new AgentInfo(hostname, port, resources, attributes, newId, domain);
  }
}
