package orrery.protocol.json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Checks used by the compact constructors of the protocol records. Records validate themselves, so a message
 * that exists is a valid message, whether it was parsed from JSON or built in code.
 */
public final class Fields {

  private Fields() {}

  public static <T> T required(T value, String field) {
    if (value == null) {
      throw ProtocolException.missing(field);
    }
    return value;
  }

  public static String requiredText(String value, String field) {
    if (value == null) {
      throw ProtocolException.missing(field);
    }
    if (value.isBlank()) {
      throw ProtocolException.invalid(field, "must not be empty");
    }
    return value;
  }

  /** An absent repeated field is an empty list, as in protobuf; null elements are refused. */
  public static <T> List<T> list(List<T> values, String field) {
    if (values == null || values.isEmpty()) {
      return List.of();
    }
    List<T> copy = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      T value = values.get(i);
      if (value == null) {
        throw ProtocolException.invalid(field + "[" + i + "]", "must not be null");
      }
      copy.add(value);
    }
    return Collections.unmodifiableList(copy);
  }

  public static <K, V> Map<K, V> map(Map<K, V> values) {
    return values == null ? Map.of() : Collections.unmodifiableMap(new java.util.LinkedHashMap<>(values));
  }

  public static double nonNegative(double value, String field) {
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw ProtocolException.invalid(field, "must be a finite number of at least 0, not " + value);
    }
    return value;
  }
}
