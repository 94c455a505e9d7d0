package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** A Mesos `OfferID`: `{"value": "..."}` on the wire. */
public record OfferId(String value) implements Comparable<OfferId> {

  public OfferId {
    Fields.requiredText(value, "value");
  }

  public static OfferId of(String value) {
    return new OfferId(value);
  }

  @Override
  public int compareTo(OfferId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
