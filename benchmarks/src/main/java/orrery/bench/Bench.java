package orrery.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/bench NAME [options]}: each benchmark prints one JSON object per line on standard output and its
 * progress on standard error. A benchmark reports what it measured; it never fails because the machine was slow.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, subcommands = {LaunchBenchmark.class, RegistryBenchmark.class,
    AllocatorBenchmark.class, JmhBenchmark.class, AgentBenchmark.class, ClusterBenchmark.class},
    description = "Orrery benchmarks.")
public final class Bench implements Runnable {

  @Override
  public void run() {
    new CommandLine(this).usage(System.err);
  }

  public static void main(String[] args) {
    // The cluster under test logs on standard error; only warnings, so progress stays readable.
    if (System.getProperty("ORRERY_LOG_LEVEL") == null && System.getenv("ORRERY_LOG_LEVEL") == null) {
      System.setProperty("ORRERY_LOG_LEVEL", "WARN");
    }
    System.exit(new CommandLine(new Bench()).execute(args));
  }
}
