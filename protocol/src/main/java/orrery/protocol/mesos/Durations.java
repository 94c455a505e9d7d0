package orrery.protocol.mesos;

import orrery.protocol.json.Fields;

/** Mesos {@code DurationInfo} and {@code TimeInfo}: nanoseconds on the wire. */
public final class Durations {

  private Durations() {}

  public record DurationInfo(Long nanoseconds) {
    public DurationInfo {
      Fields.required(nanoseconds, "nanoseconds");
    }

    public static DurationInfo ofMillis(long millis) {
      return new DurationInfo(millis * 1_000_000L);
    }

    public long toMillis() {
      return nanoseconds / 1_000_000L;
    }
  }

  public record TimeInfo(Long nanoseconds) {
    public TimeInfo {
      Fields.required(nanoseconds, "nanoseconds");
    }
  }
}
