package orrery.protocol.resources;

import com.fasterxml.jackson.core.type.TypeReference;
import java.util.Arrays;
import java.util.List;
import orrery.protocol.json.MesosJson;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.Attribute;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.Value;

/**
 * The Mesos text syntax for {@code --resources} and {@code --attributes}: {@code name:value} pairs separated by
 * {@code ;}, where a value is a number, {@code [a-b,c-d]} ranges, {@code {x,y}} a set, or (attributes only) text.
 * A resource name may carry a role in parentheses; only the unreserved role {@code *} is accepted.
 */
final class ResourceText {

  private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("-?[0-9]+(\\.[0-9]+)?");

  private ResourceText() {}

  static Resources parse(String text) {
    String trimmed = text == null ? "" : text.trim();
    if (trimmed.startsWith("[")) {
      try {
        List<Resource> list = MesosJson.mapper().readValue(trimmed, new TypeReference<List<Resource>>() {});
        return Resources.of(list);
      } catch (java.io.IOException e) {
        throw ProtocolException.invalid("resources", "is not a JSON list of resources: " + e.getMessage());
      }
    }
    Resources.Builder builder = Resources.builder();
    for (String part : split(trimmed)) {
      int colon = part.indexOf(':');
      if (colon <= 0) {
        throw ProtocolException.invalid("resources", "'" + part + "' is not of the form name:value");
      }
      String name = part.substring(0, colon).trim();
      String value = part.substring(colon + 1).trim();
      int paren = name.indexOf('(');
      if (paren >= 0) {
        // `cpus(` is too short to hold a role between the parentheses; check the closing one first.
        boolean closed = name.endsWith(")") && name.length() > paren + 1;
        if (!closed || !name.substring(paren + 1, name.length() - 1).equals(Resource.UNRESERVED)) {
          throw ProtocolException.invalid("resources", "'" + name + "': only unreserved resources (role '*') "
              + "are supported");
        }
        name = name.substring(0, paren);
      }
      if (name.isEmpty()) {
        throw ProtocolException.invalid("resources", "'" + part + "' has no name");
      }
      if (value.startsWith("[")) {
        builder.ranges(name, parseRanges("resources", name, value));
      } else if (value.startsWith("{")) {
        builder.set(name, parseSet("resources", name, value));
      } else {
        builder.scalar(name, parseScalar(name, value));
      }
    }
    return builder.build();
  }

  static List<Attribute> parseAttributes(String text) {
    String trimmed = text == null ? "" : text.trim();
    return split(trimmed).stream().map(part -> {
      int colon = part.indexOf(':');
      if (colon <= 0) {
        throw ProtocolException.invalid("attributes", "'" + part + "' is not of the form name:value");
      }
      String name = part.substring(0, colon).trim();
      String value = part.substring(colon + 1).trim();
      if (value.startsWith("[")) {
        return new Attribute(name, Value.Type.RANGES, null, parseRanges("attributes", name, value).toValue(),
            null, null);
      }
      if (value.startsWith("{")) {
        return new Attribute(name, Value.Type.SET, null, null, new Value.Set(parseSet("attributes", name, value)),
            null);
      }
      try {
        return new Attribute(name, Value.Type.SCALAR, new Value.Scalar(Double.parseDouble(value)), null, null,
            null);
      } catch (NumberFormatException notANumber) {
        return Attribute.text(name, value);
      }
    }).toList();
  }

  private static List<String> split(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(text.split(";")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static double parseScalar(String name, String value) {
    // Plain decimals only: Java would also read '4d', '0x1p3' or 'Infinity'.
    if (!DECIMAL.matcher(value).matches()) {
      throw ProtocolException.invalid("resources", name + ": '" + value + "' is not a number");
    }
    try {
      double parsed = Double.parseDouble(value);
      if (parsed < 0 || Double.isNaN(parsed) || Double.isInfinite(parsed)) {
        throw ProtocolException.invalid("resources", name + ": '" + value + "' must be a number of at least 0");
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw ProtocolException.invalid("resources", name + ": '" + value + "' is not a number");
    }
  }

  private static Ranges parseRanges(String field, String name, String value) {
    if (!value.endsWith("]")) {
      throw ProtocolException.invalid(field, name + ": '" + value + "' is missing its closing ']'");
    }
    String inner = value.substring(1, value.length() - 1).trim();
    Ranges ranges = Ranges.empty();
    if (inner.isEmpty()) {
      return ranges;
    }
    for (String range : inner.split(",")) {
      String[] ends = range.trim().split("-");
      try {
        long begin = Long.parseLong(ends[0].trim());
        long end = ends.length == 2 ? Long.parseLong(ends[1].trim()) : begin;
        if (ends.length > 2 || begin < 0 || end < begin) {
          throw new NumberFormatException();
        }
        ranges = ranges.union(Ranges.of(begin, end));
      } catch (NumberFormatException e) {
        throw ProtocolException.invalid(field, name + ": '" + range.trim() + "' is not a range like 31000-32000");
      }
    }
    return ranges;
  }

  private static List<String> parseSet(String field, String name, String value) {
    if (!value.endsWith("}")) {
      throw ProtocolException.invalid(field, name + ": '" + value + "' is missing its closing '}'");
    }
    String inner = value.substring(1, value.length() - 1).trim();
    if (inner.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(inner.split(",")).map(String::trim).toList();
  }
}
