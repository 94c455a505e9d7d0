package orrery.sdk;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import orrery.protocol.json.MesosJson;
import orrery.protocol.mesos.FrameworkId;
import orrery.protocol.mesos.FrameworkInfo;
import orrery.protocol.recordio.RecordIo;
import orrery.protocol.scheduler.Call;
import orrery.protocol.scheduler.Event;

/**
 * A framework's side of the Mesos v1 scheduler HTTP API: SUBSCRIBE opens the RecordIO event stream; every other
 * call is a POST carrying the stream's {@code Mesos-Stream-Id}. Works against Orrery and against a Mesos master.
 */
public final class SchedulerHttpClient {

  private static final System.Logger LOG = System.getLogger(SchedulerHttpClient.class.getName());

  public static final String PATH = "/api/v1/scheduler";

  private final HttpClient http;
  private final io.vertx.core.Context context;
  private final String host;
  private final int port;
  private HttpClientRequest stream;
  private String streamId;
  private FrameworkId frameworkId;

  public SchedulerHttpClient(Vertx vertx, String host, int port) {
    this.http = vertx.createHttpClient(new HttpClientOptions(), new PoolOptions().setHttp1MaxSize(16));
    this.context = vertx.getOrCreateContext();
    this.host = host;
    this.port = port;
  }

  /**
   * Subscribes and returns the SUBSCRIBED event; every later event (OFFERS, UPDATE, HEARTBEAT, ...) goes to
   * {@code events}, on this client's Vert.x context, in the order the master sent them.
   */
  public Future<Event> subscribe(FrameworkInfo info, Handler<Event> events) {
    Promise<Event> subscribed = Promise.promise();
    RecordIo.Decoder decoder = new RecordIo.Decoder();
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
        .setURI(PATH).putHeader("Content-Type", "application/json").putHeader("Accept", "application/json");
    context.runOnContext(v -> http.request(options).compose(request -> {
      stream = request;
      return request.send(Buffer.buffer(MesosJson.writeBytes(Call.subscribe(info))));
    }).onSuccess(response -> {
      if (response.statusCode() != 200) {
        response.body().onComplete(body -> subscribed.tryFail(new SchedulerCallException(response.statusCode(),
            body.succeeded() ? body.result().toString() : "no body")));
        return;
      }
      streamId = response.getHeader("Mesos-Stream-Id");
      response.handler(chunk -> {
        for (byte[] record : decoder.feed(chunk.getBytes())) {
          Event event = MesosJson.read(record, Event.class);
          if (event.type() == Event.Type.SUBSCRIBED && !subscribed.future().isComplete()) {
            frameworkId = event.subscribed().frameworkId();
            subscribed.complete(event);
          } else {
            events.handle(event);
          }
        }
      });
      response.exceptionHandler(subscribed::tryFail);
    }).onFailure(subscribed::tryFail));
    return subscribed.future();
  }

  /**
   * Sends a call on behalf of the subscribed framework; succeeds with the status (202) or fails with the refusal.
   * A call that gets no answer within {@link #CALL_TIMEOUT_MILLIS} fails; one that may safely be made twice (all but
   * ACCEPT, whose second try would find its offers gone) is then tried again, up to {@link #CALL_ATTEMPTS} times, as
   * Mesos scheduler drivers do.
   */
  public Future<Integer> call(Call call) {
    return attempt(call, 1);
  }

  /** How long a call may go unanswered before it is given up (and, if it may, tried again). */
  public static final long CALL_TIMEOUT_MILLIS = 10_000;
  public static final int CALL_ATTEMPTS = 3;

  private Future<Integer> attempt(Call call, int attempt) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
        .setURI(PATH).putHeader("Content-Type", "application/json").setIdleTimeout(CALL_TIMEOUT_MILLIS);
    if (streamId != null) {
      options.putHeader("Mesos-Stream-Id", streamId);
    }
    // Every call starts on the client's own context, whatever thread makes it, so that its connection pool is
    // only ever used from one event loop.
    Promise<Integer> answered = Promise.promise();
    context.runOnContext(v -> http.request(options)
        .compose(request -> request.send(Buffer.buffer(MesosJson.writeBytes(call))))
        .compose(response -> response.body().compose(body -> response.statusCode() < 400
            ? Future.succeededFuture(response.statusCode())
            : Future.failedFuture(new SchedulerCallException(response.statusCode(), body.toString()))))
        .onComplete(answered));
    return answered.future()
        .recover(failure -> {
          boolean retry = !(failure instanceof SchedulerCallException) && call.type() != Call.Type.ACCEPT
              && attempt < CALL_ATTEMPTS;
          if (!retry) {
            return Future.failedFuture(failure);
          }
          LOG.log(System.Logger.Level.WARNING, "{0} call unanswered ({1}); trying again ({2} of {3})", call.type(),
              failure.getMessage(), attempt + 1, CALL_ATTEMPTS);
          return attempt(call, attempt + 1);
        });
  }

  public FrameworkId frameworkId() {
    return frameworkId;
  }

  public String streamId() {
    return streamId;
  }

  /** Closes the event stream (the master then deactivates the framework) and the client. */
  public Future<Void> close() {
    if (stream != null) {
      stream.connection().close();
    }
    return http.close();
  }
}
