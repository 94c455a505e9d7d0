package orrery.protocol.resources;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import orrery.protocol.mesos.Value;

/**
 * A set of non-negative integers kept as sorted, disjoint, non-adjacent inclusive intervals (ports, mostly).
 *
 * <p>Invariant: {@code bounds} holds pairs {@code begin, end} with {@code begin <= end} and each pair's begin more
 * than one above the previous pair's end, so that equal sets have equal bounds.
 */
public final class Ranges {

  private static final Ranges EMPTY = new Ranges(new long[0]);

  private final long[] bounds;

  private Ranges(long[] bounds) {
    this.bounds = bounds;
  }

  public static Ranges empty() {
    return EMPTY;
  }

  public static Ranges of(long begin, long end) {
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("invalid range [" + begin + "-" + end + "]");
    }
    return new Ranges(new long[] {begin, end});
  }

  public static Ranges of(Value.Ranges ranges) {
    long[] raw = new long[ranges.range().size() * 2];
    int i = 0;
    for (Value.Range range : ranges.range()) {
      raw[i++] = range.begin();
      raw[i++] = range.end();
    }
    return normalize(raw);
  }

  /** Sorts and merges arbitrary pairs into the canonical form. */
  static Ranges normalize(long[] pairs) {
    int count = pairs.length / 2;
    if (count == 0) {
      return EMPTY;
    }
    long[][] sorted = new long[count][];
    for (int i = 0; i < count; i++) {
      sorted[i] = new long[] {pairs[2 * i], pairs[2 * i + 1]};
    }
    Arrays.sort(sorted, (a, b) -> Long.compare(a[0], b[0]));
    long[] merged = new long[pairs.length];
    int n = 0;
    for (long[] range : sorted) {
      // `begin - 1 <= end` rather than `begin <= end + 1`: an end of Long.MAX_VALUE must not wrap around.
      if (n > 0 && range[0] - 1 <= merged[n - 1]) {
        merged[n - 1] = Math.max(merged[n - 1], range[1]);
      } else {
        merged[n++] = range[0];
        merged[n++] = range[1];
      }
    }
    return new Ranges(Arrays.copyOf(merged, n));
  }

  public boolean isEmpty() {
    return bounds.length == 0;
  }

  /** How many integers the set holds: {@code [31000-31009]} holds ten ports. */
  public long size() {
    long size = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      size += bounds[i + 1] - bounds[i] + 1;
    }
    return size;
  }

  public Ranges union(Ranges other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    long[] both = Arrays.copyOf(bounds, bounds.length + other.bounds.length);
    System.arraycopy(other.bounds, 0, both, bounds.length, other.bounds.length);
    return normalize(both);
  }

  /** This set without the integers of {@code other}; ranges split where a hole is cut into them. */
  public Ranges subtract(Ranges other) {
    if (isEmpty() || other.isEmpty()) {
      return this;
    }
    List<Long> out = new ArrayList<>();
    int j = 0;
    for (int i = 0; i < bounds.length; i += 2) {
      long begin = bounds[i];
      long end = bounds[i + 1];
      while (j < other.bounds.length && other.bounds[j + 1] < begin) {
        j += 2;
      }
      int k = j;
      boolean covered = false;
      while (k < other.bounds.length && other.bounds[k] <= end) {
        long holeBegin = other.bounds[k];
        long holeEnd = other.bounds[k + 1];
        if (holeBegin > begin) {
          out.add(begin);
          out.add(holeBegin - 1);
        }
        if (holeEnd >= end) {
          // The hole reaches the end of this range; holeEnd + 1 could wrap around at Long.MAX_VALUE.
          covered = true;
          break;
        }
        begin = Math.max(begin, holeEnd + 1);
        k += 2;
      }
      if (!covered && begin <= end) {
        out.add(begin);
        out.add(end);
      }
    }
    long[] result = new long[out.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = out.get(i);
    }
    return new Ranges(result);
  }

  public boolean contains(Ranges other) {
    int i = 0;
    for (int j = 0; j < other.bounds.length; j += 2) {
      while (i < bounds.length && bounds[i + 1] < other.bounds[j]) {
        i += 2;
      }
      if (i >= bounds.length || bounds[i] > other.bounds[j] || bounds[i + 1] < other.bounds[j + 1]) {
        return false;
      }
    }
    return true;
  }

  public boolean contains(long value) {
    for (int i = 0; i < bounds.length; i += 2) {
      if (bounds[i] <= value && value <= bounds[i + 1]) {
        return true;
      }
    }
    return false;
  }

  /** The lowest {@code count} integers of the set, or fewer when the set is smaller. */
  public Ranges lowest(long count) {
    List<Long> out = new ArrayList<>();
    long left = count;
    for (int i = 0; i < bounds.length && left > 0; i += 2) {
      // Offsets, not sizes: [0-Long.MAX_VALUE] holds more integers than a long counts.
      long last = Math.min(left - 1, bounds[i + 1] - bounds[i]);
      out.add(bounds[i]);
      out.add(bounds[i] + last);
      left -= last + 1;
    }
    long[] result = new long[out.size()];
    for (int i = 0; i < result.length; i++) {
      result[i] = out.get(i);
    }
    return new Ranges(result);
  }

  public Value.Ranges toValue() {
    List<Value.Range> list = new ArrayList<>(bounds.length / 2);
    for (int i = 0; i < bounds.length; i += 2) {
      list.add(Value.Range.of(bounds[i], bounds[i + 1]));
    }
    return new Value.Ranges(list);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ranges other && Arrays.equals(bounds, other.bounds);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bounds);
  }

  @Override
  public String toString() {
    StringBuilder text = new StringBuilder("[");
    for (int i = 0; i < bounds.length; i += 2) {
      if (i > 0) {
        text.append(',');
      }
      text.append(bounds[i]).append('-').append(bounds[i + 1]);
    }
    return text.append(']').toString();
  }
}
