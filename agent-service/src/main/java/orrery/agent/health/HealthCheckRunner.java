package orrery.agent.health;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import orrery.agent.core.LaunchSpec;
import orrery.protocol.mesos.CommandInfo;
import orrery.protocol.mesos.HealthCheck;

/**
 * Runs one health check of a task and says whether it passed: a COMMAND in the task's sandbox with its environment
 * (exit 0 passes), an HTTP GET on the agent's host (a status among {@code statuses}, or 200 to 399, passes), or a
 * TCP connection (one that opens passes). Each is bounded by the check's {@code timeout_seconds}.
 */
public final class HealthCheckRunner {

  /** What a check found; {@code detail} says what, for status messages. */
  public record Result(boolean healthy, String detail) {}

  private static final File DISCARD = new File("/dev/null");

  private final Vertx vertx;
  private final String host;
  private final HttpClient http;
  private final HttpClient https;
  private final NetClient tcp;

  /** @param host where the task's ports are reached: the agent's own address */
  public HealthCheckRunner(Vertx vertx, String host) {
    this.vertx = vertx;
    this.host = host;
    this.http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false));
    // A task's own certificate is not for the agent to judge: the check asks whether it answers, as Mesos' does.
    this.https = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(false).setSsl(true).setTrustAll(true)
        .setVerifyHost(false));
    this.tcp = vertx.createNetClient(new NetClientOptions());
  }

  public Future<Result> run(HealthCheck check, LaunchSpec task) {
    Future<Result> result = switch (check.type()) {
      case COMMAND -> command(check, task);
      case HTTP -> http(check);
      case TCP -> tcp(check);
    };
    return result.recover(failure -> Future.succeededFuture(new Result(false,
        failure.getMessage() == null ? failure.toString() : failure.getMessage())));
  }

  private Future<Result> command(HealthCheck check, LaunchSpec task) {
    return vertx.executeBlocking(() -> {
      CommandInfo command = check.command();
      List<String> argv = new ArrayList<>();
      if (command.isShell()) {
        argv.addAll(List.of("/bin/sh", "-c", command.value()));
      } else {
        argv.add(command.value());
        argv.addAll(command.arguments().subList(Math.min(1, command.arguments().size()), command.arguments().size()));
      }
      ProcessBuilder builder = new ProcessBuilder(argv).directory(task.directory().toFile())
          .redirectInput(ProcessBuilder.Redirect.from(DISCARD))
          .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD);
      builder.environment().putAll(task.environment());
      if (command.environment() != null) {
        command.environment().variables().forEach(v -> builder.environment().put(v.name(), v.value()));
      }
      Process process = builder.start();
      if (!process.waitFor(check.timeoutMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        return new Result(false, "the command did not end within " + check.timeoutSeconds() + " s");
      }
      int exit = process.exitValue();
      return new Result(exit == 0, "the command exited with status " + exit);
    }, false);
  }

  private Future<Result> http(HealthCheck check) {
    HttpClient client = check.scheme().equals("https") ? https : http;
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.GET).setHost(host).setPort(check.port())
        .setURI(check.path()).setTimeout(check.timeoutMillis());
    return client.request(request).compose(r -> r.send()).compose(response -> response.body().map(body -> {
      int status = response.statusCode();
      boolean healthy = check.statuses().isEmpty() ? status >= 200 && status < 400 : check.statuses().contains(status);
      return new Result(healthy, "HTTP " + status);
    }));
  }

  private Future<Result> tcp(HealthCheck check) {
    return tcp.connect(check.port(), host)
        .timeout(check.timeoutMillis(), TimeUnit.MILLISECONDS)
        .compose(socket -> socket.close().map(closed -> new Result(true, "connected")));
  }

  public Future<Void> close() {
    return Future.all(http.close(), https.close(), tcp.close()).mapEmpty();
  }
}
