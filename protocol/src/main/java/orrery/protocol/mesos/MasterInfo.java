package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** Sent to frameworks in SUBSCRIBED so they know whom they talk to. {@code ip} is an IPv4 address as uint32. */
public record MasterInfo(
    String id,
    Long ip,
    Integer port,
    String pid,
    String hostname,
    String version,
    Address address) {

  public MasterInfo {
    Fields.required(id, "id");
    Fields.required(ip, "ip");
    Fields.required(port, "port");
  }
}
