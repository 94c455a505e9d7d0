#!/usr/bin/env python3
"""A complete framework on Orrery's TCP event-bus bridge in plain Python (standard library only).

The bridge speaks Vert.x's TCP bridge protocol: every frame is a 4-byte big-endian length followed by a JSON
message. Calls are the same Mesos v1 Call JSON as on the HTTP API, sent as requests to 'orrery.scheduler'; the
reply to SUBSCRIBE is the SUBSCRIBED event; after registering 'orrery.framework.<id>' the framework receives its
events there. This one runs COUNT shell commands, acknowledges every update and tears itself down.

    examples/bridge_framework.py [--host 127.0.0.1] [--port 5060] [--count 3] [--cmd 'echo hello']
"""
import argparse
import itertools
import json
import socket
import struct
import sys

TERMINAL = {"TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED",
            "TASK_GONE", "TASK_GONE_BY_OPERATOR"}


class Bridge:
    def __init__(self, host, port):
        self.socket = socket.create_connection((host, port))
        self.replies = itertools.count()

    def write(self, frame):
        data = json.dumps(frame).encode()
        self.socket.sendall(struct.pack(">I", len(data)) + data)

    def read(self):
        header = self._exactly(4)
        return json.loads(self._exactly(struct.unpack(">I", header)[0]))

    def _exactly(self, size):
        data = b""
        while len(data) < size:
            chunk = self.socket.recv(size - len(data))
            if not chunk:
                sys.exit("the bridge closed the connection")
            data += chunk
        return data

    def call(self, body):
        """Sends a call as a request; its reply (or error) arrives later, among the events."""
        self.write({"type": "send", "address": "orrery.scheduler", "replyAddress": f"reply-{next(self.replies)}",
                    "body": body})


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5060)
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--cmd", default="echo hello from $MESOS_TASK_ID")
    args = parser.parse_args()

    bridge = Bridge(args.host, args.port)
    bridge.call({"type": "SUBSCRIBE",
                 "subscribe": {"framework_info": {"user": "root", "name": "python-bridge-example"}}})
    reply = bridge.read()
    if reply["type"] == "err":
        sys.exit("SUBSCRIBE failed: " + reply["message"])
    framework_id = reply["body"]["subscribed"]["framework_id"]
    print(f"subscribed as {framework_id['value']}", flush=True)
    # Offers start only once this connection listens on the framework's address.
    bridge.write({"type": "register", "address": "orrery.framework." + framework_id["value"]})

    launched = ended = 0
    while True:
        frame = bridge.read()
        if frame["type"] == "err":
            sys.exit("refused by the master: " + frame.get("message", ""))
        if not frame.get("address", "").startswith("orrery.framework."):
            continue  # the (empty) reply to one of our calls
        event = frame["body"]
        if event["type"] == "OFFERS":
            for offer in event["offers"]["offers"]:
                if launched == args.count:
                    bridge.call({"type": "DECLINE", "framework_id": framework_id,
                                 "decline": {"offer_ids": [offer["id"]], "filters": {"refuse_seconds": 60}}})
                    continue
                launched += 1
                task = {
                    "name": f"bridge-example-{launched}",
                    "task_id": {"value": f"bridge-example-{launched}"},
                    "agent_id": offer["agent_id"],
                    "resources": [
                        {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}},
                        {"name": "mem", "type": "SCALAR", "scalar": {"value": 32}},
                    ],
                    "command": {"value": args.cmd},
                }
                bridge.call({"type": "ACCEPT", "framework_id": framework_id,
                             "accept": {"offer_ids": [offer["id"]],
                                        "operations": [{"type": "LAUNCH", "launch": {"task_infos": [task]}}],
                                        "filters": {"refuse_seconds": 0}}})
        elif event["type"] == "UPDATE":
            status = event["update"]["status"]
            print(f"{status['task_id']['value']} {status['state']} {status.get('message', '')}", flush=True)
            if "uuid" in status:
                bridge.call({"type": "ACKNOWLEDGE", "framework_id": framework_id,
                             "acknowledge": {"agent_id": status["agent_id"], "task_id": status["task_id"],
                                             "uuid": status["uuid"]}})
            if status["state"] in TERMINAL:
                ended += 1
                if ended == args.count:
                    bridge.call({"type": "TEARDOWN", "framework_id": framework_id})
                    print("all tasks ended; torn down", flush=True)
                    return


if __name__ == "__main__":
    main()
