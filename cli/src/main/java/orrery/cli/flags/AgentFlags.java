package orrery.cli.flags;

import java.nio.file.Path;
import java.util.Locale;
import orrery.agent.core.Durations;
import orrery.agent.isolation.Isolators;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** What an agent is told, the same in {@code orrery standalone} and {@code orrery agent}. */
public final class AgentFlags {

  @Option(names = "--work-dir", description = "Where the agent keeps task sandboxes and its checkpoints (and the "
      + "standalone its embedded registry store) (default: ${DEFAULT-VALUE}).",
      defaultValue = "${sys:java.io.tmpdir}/orrery")
  public Path workDir;

  @Option(names = "--resources", description = "The agent's resources in Mesos syntax, e.g. "
      + "'cpus:4;mem:8192;ports:[31000-32000]' (default: detected from this machine).")
  public String resources;

  @Option(names = "--attributes", description = "The agent's attributes in Mesos syntax, e.g. 'rack:r1;zone:a'.")
  public String attributes;

  @Option(names = "--isolation", defaultValue = "auto", converter = IsolationConverter.class,
      description = "How the agent confines tasks: auto (cgroups when the machine has them), cgroups (refuse to "
          + "start without them) or none (default: ${DEFAULT-VALUE}).")
  public Isolators.Mode isolation;

  @Option(names = "--sandbox-gc-delay", defaultValue = "7d",
      description = "How long a task's sandbox (its stdout, stderr and files) is kept after the task ended, as "
          + "Mesos' --gc_delay: 30s, 12h, 7d, 1weeks (default: ${DEFAULT-VALUE}).")
  String sandboxGcDelay;

  public long sandboxGcDelayMillis() {
    return Durations.parseMillis("--sandbox-gc-delay", sandboxGcDelay);
  }

  /** Accepts the lower-case names the help shows. */
  static final class IsolationConverter implements ITypeConverter<Isolators.Mode> {
    @Override
    public Isolators.Mode convert(String value) {
      try {
        return Isolators.Mode.valueOf(value.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("--isolation must be auto, cgroups or none, not '" + value + "'");
      }
    }
  }
}
