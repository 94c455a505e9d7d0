package orrery.agent.isolation;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How the agent isolates its tasks.
 *
 * @param mode {@code AUTO} (cgroups when the machine has them), {@code CGROUPS} (refuse to start without) or
 *     {@code NONE}
 * @param cfsQuota cap each task's CPU time hard at its {@code cpus}, not only weigh it (Mesos'
 *     {@code --cgroups_enable_cfs})
 * @param pidsMax the most processes and threads one task may have, or null for no limit
 * @param cgroupMount where the cgroup file systems are mounted
 */
public record IsolationOptions(Isolators.Mode mode, boolean cfsQuota, Long pidsMax, Path cgroupMount) {

  public static final IsolationOptions DEFAULT = new IsolationOptions(Isolators.Mode.AUTO, false, null,
      Isolators.DEFAULT_MOUNT);

  public IsolationOptions {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(cgroupMount, "cgroupMount");
    if (pidsMax != null && pidsMax < 1) {
      throw new IllegalArgumentException("pidsMax must be at least 1, was " + pidsMax);
    }
  }
}
