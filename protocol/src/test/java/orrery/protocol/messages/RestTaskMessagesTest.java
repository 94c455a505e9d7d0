package orrery.protocol.messages;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class RestTaskMessagesTest {

  @Test
  void aRefusalCarriesTheErrorBodyNamingTheField() {
    ReplyException refused = new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 400,
        RestTaskMessages.refusal("cpus", "cpus must be a number greater than 0"));
    assertThat(RestTaskMessages.errorBody(refused))
        .isEqualTo(new JsonObject().put("error", "cpus must be a number greater than 0").put("field", "cpus"));
  }

  @Test
  void aRefusalWithoutAFieldHasNone() {
    assertThat(new JsonObject(RestTaskMessages.refusal(null, "no"))).isEqualTo(new JsonObject().put("error", "no"));
    assertThat(new JsonObject(RestTaskMessages.refusal("", "no"))).isEqualTo(new JsonObject().put("error", "no"));
  }

  @Test
  void anyOtherFailureIsWrappedAsItsText() {
    assertThat(RestTaskMessages.errorBody(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 500, "boom")))
        .isEqualTo(new JsonObject().put("error", "boom"));
    assertThat(RestTaskMessages.errorBody(new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 409, "{\"x\": 1}")))
        .isEqualTo(new JsonObject().put("error", "{\"x\": 1}"));
  }
}
