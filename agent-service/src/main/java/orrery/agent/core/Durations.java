package orrery.agent.core;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as flags give them: a number and a unit, Mesos' ({@code 1weeks}, {@code 30secs}) or short ({@code 7d}). */
public final class Durations {

  private static final Pattern FORM = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]+)");
  private static final Map<String, Long> UNITS = Map.ofEntries(
      Map.entry("ms", 1L),
      Map.entry("s", 1_000L), Map.entry("sec", 1_000L), Map.entry("secs", 1_000L),
      Map.entry("m", 60_000L), Map.entry("min", 60_000L), Map.entry("mins", 60_000L),
      Map.entry("h", 3_600_000L), Map.entry("hr", 3_600_000L), Map.entry("hrs", 3_600_000L),
      Map.entry("d", 86_400_000L), Map.entry("day", 86_400_000L), Map.entry("days", 86_400_000L),
      Map.entry("w", 604_800_000L), Map.entry("week", 604_800_000L), Map.entry("weeks", 604_800_000L));

  private Durations() {}

  /** Milliseconds; a message naming {@code field} and the units accepted when {@code text} is not a duration. */
  public static long parseMillis(String field, String text) {
    Matcher m = FORM.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    Long unit = m.matches() ? UNITS.get(m.group(2)) : null;
    if (unit == null) {
      throw new IllegalArgumentException(field + " must be a number and a unit (ms, s, m, h, d, w; or Mesos' secs, "
          + "mins, hrs, days, weeks), such as 7d or 30secs, was '" + text + "'");
    }
    return Math.round(Double.parseDouble(m.group(1)) * unit);
  }
}
