package orrery.protocol.mesos;

import java.util.List;
import orrery.protocol.json.Fields;
import orrery.protocol.json.ProtocolException;

/** The value kinds of Mesos resources and attributes. */
public final class Value {

  private Value() {}

  public enum Type { SCALAR, RANGES, SET, TEXT }

  public record Scalar(double value) {
    public Scalar {
      if (Double.isNaN(value) || Double.isInfinite(value)) {
        throw ProtocolException.invalid("value", "must be a finite number");
      }
    }
  }

  /** An inclusive range of unsigned integers, such as ports 31000-32000. */
  public record Range(Long begin, Long end) {
    public Range {
      Fields.required(begin, "begin");
      Fields.required(end, "end");
      if (begin < 0) {
        throw ProtocolException.invalid("begin", "must not be negative");
      }
      if (end < begin) {
        throw ProtocolException.invalid("end", "must not be below begin (" + begin + "), was " + end);
      }
    }

    public static Range of(long begin, long end) {
      return new Range(begin, end);
    }
  }

  public record Ranges(List<Range> range) {
    public Ranges {
      range = Fields.list(range, "range");
    }
  }

  public record Set(List<String> item) {
    public Set {
      item = Fields.list(item, "item");
    }
  }

  public record Text(String value) {
    public Text {
      Fields.required(value, "value");
    }
  }
}
