package orrery.protocol.resources;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import orrery.protocol.json.ProtocolException;
import orrery.protocol.mesos.Resource;
import orrery.protocol.mesos.Value;

/**
 * An immutable bag of unreserved resources with Mesos arithmetic: scalars in fixed point (thousandths), ranges
 * split and merged, sets by item. On the wire it is the Mesos list of {@link Resource}.
 *
 * <p>Invariant: no entry is zero or empty, so two bags that hold the same resources are {@code equals}.
 */
@JsonSerialize(using = ResourcesSerializer.class)
public final class Resources {

  public static final String CPUS = "cpus";
  public static final String MEM = "mem";
  public static final String DISK = "disk";
  public static final String GPUS = "gpus";
  public static final String PORTS = "ports";

  private static final Resources EMPTY = new Resources(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());

  private final TreeMap<String, Long> scalars;
  private final TreeMap<String, Ranges> ranges;
  private final TreeMap<String, SortedSet<String>> sets;

  private Resources(TreeMap<String, Long> scalars, TreeMap<String, Ranges> ranges,
      TreeMap<String, SortedSet<String>> sets) {
    this.scalars = scalars;
    this.ranges = ranges;
    this.sets = sets;
  }

  public static Resources empty() {
    return EMPTY;
  }

  /** Parses the agent's {@code --resources} flag: {@code cpus:4;mem:8192;ports:[31000-32000]} or a JSON list. */
  public static Resources parse(String text) {
    return ResourceText.parse(text);
  }

  @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
  public static Resources of(List<Resource> resources) {
    Builder builder = builder();
    for (int i = 0; i < resources.size(); i++) {
      Resource resource = resources.get(i);
      switch (resource.type()) {
        case SCALAR -> builder.scalarMillis(resource.name(), Scalars.toMillis(resource.scalar().value()));
        case RANGES -> builder.ranges(resource.name(), Ranges.of(resource.ranges()));
        case SET -> builder.set(resource.name(), resource.set().item());
        default -> throw ProtocolException.invalid("[" + i + "].type", "must be SCALAR, RANGES or SET");
      }
    }
    return builder.build();
  }

  public static Resources scalars(Map<String, Double> values) {
    Builder builder = builder();
    values.forEach((name, value) -> builder.scalarMillis(name, Scalars.toMillis(value)));
    return builder.build();
  }

  public static Resources cpusMem(double cpus, double mem) {
    return builder().scalar(CPUS, cpus).scalar(MEM, mem).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Resource> toList() {
    return toList(null);
  }

  /** The Mesos list, each resource marked as allocated to {@code allocationRole} when one is given. */
  public List<Resource> toList(String allocationRole) {
    List<Resource> list = new ArrayList<>(scalars.size() + ranges.size() + sets.size());
    scalars.forEach((name, millis) -> list.add(new Resource(name, Value.Type.SCALAR,
        new Value.Scalar(Scalars.fromMillis(millis)), null, null, null, null)));
    ranges.forEach((name, value) -> list.add(new Resource(name, Value.Type.RANGES, null, value.toValue(), null, null,
        null)));
    sets.forEach((name, items) -> list.add(new Resource(name, Value.Type.SET, null, null,
        new Value.Set(List.copyOf(items)), null, null)));
    if (allocationRole == null) {
      return list;
    }
    return list.stream().map(r -> r.withAllocationRole(allocationRole)).toList();
  }

  public boolean isEmpty() {
    return scalars.isEmpty() && ranges.isEmpty() && sets.isEmpty();
  }

  public double scalar(String name) {
    return Scalars.fromMillis(scalarMillis(name));
  }

  public long scalarMillis(String name) {
    return scalars.getOrDefault(name, 0L);
  }

  public Ranges ranges(String name) {
    return ranges.getOrDefault(name, Ranges.empty());
  }

  public Set<String> set(String name) {
    return sets.containsKey(name) ? Collections.unmodifiableSet(sets.get(name)) : Set.of();
  }

  /** The names of the scalar resources held, in order: what DRF computes shares over. */
  public Set<String> scalarNames() {
    return Collections.unmodifiableSet(scalars.keySet());
  }

  public Map<String, Long> scalarMillis() {
    return Collections.unmodifiableMap(scalars);
  }

  public Resources scalarsOnly() {
    return new Resources(scalars, new TreeMap<>(), new TreeMap<>());
  }

  public Resources plus(Resources other) {
    if (other.isEmpty()) {
      return this;
    }
    if (isEmpty()) {
      return other;
    }
    Builder builder = toBuilder();
    other.scalars.forEach(builder::scalarMillis);
    other.ranges.forEach(builder::ranges);
    other.sets.forEach(builder::set);
    return builder.build();
  }

  /** What is left after taking {@code other} away; whatever {@code other} holds beyond this bag is ignored. */
  public Resources minus(Resources other) {
    if (other.isEmpty() || isEmpty()) {
      return this;
    }
    TreeMap<String, Long> s = new TreeMap<>(scalars);
    other.scalars.forEach((name, millis) -> s.computeIfPresent(name, (k, v) -> v - millis > 0 ? v - millis : null));
    TreeMap<String, Ranges> r = new TreeMap<>(ranges);
    other.ranges.forEach((name, value) -> r.computeIfPresent(name, (k, v) -> {
      Ranges left = v.subtract(value);
      return left.isEmpty() ? null : left;
    }));
    TreeMap<String, SortedSet<String>> t = new TreeMap<>(sets);
    other.sets.forEach((name, items) -> t.computeIfPresent(name, (k, v) -> {
      SortedSet<String> left = new TreeSet<>(v);
      left.removeAll(items);
      return left.isEmpty() ? null : left;
    }));
    return new Resources(s, r, t);
  }

  public boolean contains(Resources other) {
    for (Map.Entry<String, Long> e : other.scalars.entrySet()) {
      if (scalarMillis(e.getKey()) < e.getValue()) {
        return false;
      }
    }
    for (Map.Entry<String, Ranges> e : other.ranges.entrySet()) {
      if (!ranges(e.getKey()).contains(e.getValue())) {
        return false;
      }
    }
    for (Map.Entry<String, SortedSet<String>> e : other.sets.entrySet()) {
      if (!sets.containsKey(e.getKey()) || !sets.get(e.getKey()).containsAll(e.getValue())) {
        return false;
      }
    }
    return true;
  }

  /** The part of {@code other} this bag lacks, named for error messages: {@code cpus:0.5; ports:[80-80]}. */
  public Resources shortfall(Resources other) {
    return other.minus(this);
  }

  public Builder toBuilder() {
    Builder builder = builder();
    scalars.forEach(builder::scalarMillis);
    ranges.forEach(builder::ranges);
    sets.forEach(builder::set);
    return builder;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Resources other && scalars.equals(other.scalars) && ranges.equals(other.ranges)
        && sets.equals(other.sets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scalars, ranges, sets);
  }

  /** The Mesos text form, which {@link #parse} reads back. */
  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    scalars.forEach((name, millis) -> parts.add(name + ":" + Scalars.format(millis)));
    ranges.forEach((name, value) -> parts.add(name + ":" + value));
    sets.forEach((name, items) -> parts.add(name + ":{" + String.join(",", items) + "}"));
    return String.join(";", parts);
  }

  /** Accumulates resources; adding a name twice adds the amounts. */
  public static final class Builder {
    private final TreeMap<String, Long> scalars = new TreeMap<>();
    private final TreeMap<String, Ranges> ranges = new TreeMap<>();
    private final TreeMap<String, SortedSet<String>> sets = new TreeMap<>();

    private Builder() {}

    public Builder scalar(String name, double value) {
      return scalarMillis(name, Scalars.toMillis(value));
    }

    public Builder scalarMillis(String name, long millis) {
      if (millis < 0) {
        throw new IllegalArgumentException(name + " must not be negative");
      }
      scalars.merge(name, millis, Long::sum);
      return this;
    }

    public Builder ranges(String name, Ranges value) {
      ranges.merge(name, value, Ranges::union);
      return this;
    }

    public Builder set(String name, java.util.Collection<String> items) {
      sets.computeIfAbsent(name, k -> new TreeSet<>()).addAll(items);
      return this;
    }

    public Resources build() {
      scalars.values().removeIf(v -> v == 0);
      ranges.values().removeIf(Ranges::isEmpty);
      sets.values().removeIf(Set::isEmpty);
      if (scalars.isEmpty() && ranges.isEmpty() && sets.isEmpty()) {
        return EMPTY;
      }
      // Copy each set too: the builder may go on adding to its own after this bag is built.
      TreeMap<String, SortedSet<String>> setsCopy = new TreeMap<>();
      sets.forEach((name, items) -> setsCopy.put(name, new TreeSet<>(items)));
      return new Resources(new TreeMap<>(scalars), new TreeMap<>(ranges), setsCopy);
    }
  }
}
