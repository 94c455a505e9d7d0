package orrery.protocol.mesos;

import java.util.List;
import orrery.protocol.json.Fields;

/** A Mesos {@code URL}: an offer's {@code url} points at the agent that holds the offered resources. */
public record Url(String scheme, Address address, String path, List<Parameter> query, String fragment) {

  public Url {
    Fields.required(scheme, "scheme");
    Fields.required(address, "address");
    query = Fields.list(query, "query");
  }

  public record Parameter(String key, String value) {
    public Parameter {
      Fields.required(key, "key");
      Fields.required(value, "value");
    }
  }
}
