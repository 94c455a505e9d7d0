package orrery.protocol.mesos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class HealthCheckTest {

  private static HealthCheck parse(String json) throws Exception {
    return HealthCheck.fromJson(new ObjectMapper().readTree(json));
  }

  @Test
  void fillsMesosDefaults() throws Exception {
    HealthCheck http = parse("{\"type\": \"HTTP\", \"http\": {\"port\": 8080, \"path\": \"health\"}}");
    assertThat(http.delaySeconds()).isEqualTo(15);
    assertThat(http.intervalSeconds()).isEqualTo(10);
    assertThat(http.timeoutSeconds()).isEqualTo(20);
    assertThat(http.consecutiveFailures()).isEqualTo(3);
    assertThat(http.gracePeriodSeconds()).isEqualTo(10);
    assertThat(http.describe()).isEqualTo("HTTP GET http://127.0.0.1:8080/health");
    assertThat(http.statuses()).isEmpty();
    HealthCheck command = parse("{\"type\": \"COMMAND\", \"command\": {\"value\": \"test -f ok\"}, "
        + "\"interval_seconds\": 2}");
    assertThat(command.command().value()).isEqualTo("test -f ok");
    assertThat(command.intervalMillis()).isEqualTo(2_000);
    assertThat(parse("{\"type\": \"HTTP\", \"http\": {\"port\": 1, \"statuses\": [200, 204]}}").statuses())
        .isEqualTo(List.of(200, 204));
    assertThat(HealthCheck.fromJson(null)).isNull();
  }

  @Test
  void refusesMalformedChecksNamingTheField() {
    assertThatThrownBy(() -> parse("{\"type\": \"PING\"}")).hasMessageContaining("health_check.type");
    assertThatThrownBy(() -> parse("{\"type\": \"TCP\", \"tcp\": {\"port\": 70000}}"))
        .hasMessageContaining("health_check.tcp.port");
    assertThatThrownBy(() -> parse("{\"type\": \"COMMAND\"}")).hasMessageContaining("health_check.command");
    assertThatThrownBy(() -> parse("{\"type\": \"TCP\", \"tcp\": {\"port\": 1}, \"consecutive_failures\": 0}"))
        .hasMessageContaining("health_check.consecutive_failures");
    assertThatThrownBy(() -> parse("{\"type\": \"TCP\", \"tcp\": {\"port\": 1}, \"delay_seconds\": -1}"))
        .hasMessageContaining("health_check.delay_seconds");
  }
}
