package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** A network address as the Mesos API names one: hostname and/or ip, and a port. */
public record Address(String hostname, String ip, Integer port) {

  public Address {
    Fields.required(port, "port");
  }
}
