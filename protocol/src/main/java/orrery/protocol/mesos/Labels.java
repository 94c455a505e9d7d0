package orrery.protocol.mesos;

import java.util.List;
import orrery.protocol.json.Fields;

/** Free-form key/value labels that frameworks attach to tasks, statuses and frameworks. */
public record Labels(List<Label> labels) {

  public Labels {
    labels = Fields.list(labels, "labels");
  }

  public record Label(String key, String value) {
    public Label {
      Fields.required(key, "key");
    }
  }
}
