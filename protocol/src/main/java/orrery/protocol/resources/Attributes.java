package orrery.protocol.resources;

import java.util.List;
import orrery.protocol.mesos.Attribute;

/** Agent attributes in the Mesos {@code --attributes} syntax: {@code rack:r1;zone:a}. */
public final class Attributes {

  private Attributes() {}

  public static List<Attribute> parse(String text) {
    return ResourceText.parseAttributes(text);
  }
}
