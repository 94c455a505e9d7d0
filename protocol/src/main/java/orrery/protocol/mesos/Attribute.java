package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** An agent attribute such as {@code rack:r1}, offered to frameworks for placement decisions. */
public record Attribute(
    String name,
    Value.Type type,
    Value.Scalar scalar,
    Value.Ranges ranges,
    Value.Set set,
    Value.Text text) {

  public Attribute {
    Fields.requiredText(name, "name");
    Fields.required(type, "type");
    switch (type) {
      case SCALAR -> Fields.required(scalar, "scalar");
      case RANGES -> Fields.required(ranges, "ranges");
      case SET -> Fields.required(set, "set");
      case TEXT -> Fields.required(text, "text");
    }
  }

  public static Attribute text(String name, String value) {
    return new Attribute(name, Value.Type.TEXT, null, null, null, new Value.Text(value));
  }
}
