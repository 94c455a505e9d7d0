package orrery.bench;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.format.OutputFormat;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * {@code bin/bench jmh [JMH options] [regexp]}: the JMH microbenchmarks of {@code orrery.bench.jmh} (the DRF sorter and
 * resource arithmetic). Takes JMH's own command line ({@code -h} lists it); JMH's report goes to standard error, and
 * one JSON line per benchmark to standard output. Without options it runs short: one fork, three warm-up iterations
 * and five measured ones of one second each.
 */
@Command(name = "jmh", description = "JMH microbenchmarks (DRF sorter, resource arithmetic); takes JMH's options.")
final class JmhBenchmark implements Callable<Integer> {

  @Unmatched
  List<String> jmhArgs = new ArrayList<>();

  @Override
  public Integer call() throws Exception {
    CommandLineOptions cli = new CommandLineOptions(jmhArgs.toArray(new String[0]));
    if (cli.shouldHelp()) {
      cli.showHelp();
      return 0;
    }
    ChainedOptionsBuilder options = new OptionsBuilder().parent(cli);
    if (!cli.getForkCount().hasValue()) {
      options.forks(1);
    }
    if (!cli.getWarmupIterations().hasValue()) {
      options.warmupIterations(3);
    }
    if (!cli.getWarmupTime().hasValue()) {
      options.warmupTime(TimeValue.seconds(1));
    }
    if (!cli.getMeasurementIterations().hasValue()) {
      options.measurementIterations(5);
    }
    if (!cli.getMeasurementTime().hasValue()) {
      options.measurementTime(TimeValue.seconds(1));
    }
    OutputFormat report = OutputFormatFactory.createFormatInstance(System.err,
        cli.verbosity().orElse(VerboseMode.NORMAL));
    Runner runner = new Runner(options.build(), report);
    if (cli.shouldList() || cli.shouldListWithParams()) {
      runner.list();
      return 0;
    }
    Collection<RunResult> results = runner.run();
    for (RunResult run : results) {
      System.out.println(toJson(run).encode());
    }
    return 0;
  }

  static JsonObject toJson(RunResult run) {
    BenchmarkParams params = run.getParams();
    Result<?> primary = run.getPrimaryResult();
    JsonObject paramValues = new JsonObject();
    for (String key : params.getParamsKeys()) {
      paramValues.put(key, params.getParam(key));
    }
    return new JsonObject()
        .put("benchmark", "jmh")
        .put("name", params.getBenchmark())
        .put("mode", params.getMode().shortLabel())
        .put("params", paramValues)
        .put("score", finite(primary.getScore()))
        .put("error", finite(primary.getScoreError()))
        .put("unit", primary.getScoreUnit())
        .put("samples", primary.getSampleCount())
        .put("forks", params.getForks())
        .put("jvm", params.getVmVersion())
        .put("jvm_args", String.join(" ", params.getJvmArgs()));
  }

  /** JSON has no NaN: an error JMH cannot estimate (too few samples) is null. */
  private static Double finite(double value) {
    return Double.isFinite(value) ? Math.round(value * 1000) / 1000.0 : null;
  }
}
