#!/usr/bin/env python3
"""A complete Mesos v1 HTTP API framework in plain Python (standard library only).

It subscribes, launches one shell command per offer until it has run COUNT tasks, acknowledges every status
update that carries a uuid, prints each task's states, and tears itself down. It speaks only the Mesos v1
scheduler API, so it runs against Orrery and against a Mesos master alike.

    examples/http_framework.py [--master http://127.0.0.1:5050] [--count 3] [--cmd 'echo hello']
"""
import argparse
import http.client
import json
import sys
import urllib.parse

TERMINAL = {"TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_ERROR", "TASK_LOST", "TASK_DROPPED",
            "TASK_GONE", "TASK_GONE_BY_OPERATOR"}


def records(response):
    """Reads RecordIO: '<length>\\n<json>' records from the chunked SUBSCRIBE response."""
    while True:
        length = b""
        while not length.endswith(b"\n"):
            byte = response.read(1)
            if not byte:
                return
            length += byte
        yield json.loads(response.read(int(length)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--master", default="http://127.0.0.1:5050")
    parser.add_argument("--count", type=int, default=3)
    parser.add_argument("--cmd", default="echo hello from $MESOS_TASK_ID")
    args = parser.parse_args()
    master = urllib.parse.urlparse(args.master)

    stream = http.client.HTTPConnection(master.hostname, master.port)
    stream.request("POST", "/api/v1/scheduler", json.dumps({
        "type": "SUBSCRIBE",
        "subscribe": {"framework_info": {"user": "root", "name": "python-http-example"}},
    }), {"Content-Type": "application/json", "Accept": "application/json"})
    response = stream.getresponse()
    if response.status != 200:
        sys.exit(f"SUBSCRIBE failed: {response.status} {response.read().decode()}")
    stream_id = response.getheader("Mesos-Stream-Id")
    framework_id = None

    def call(body):
        connection = http.client.HTTPConnection(master.hostname, master.port)
        connection.request("POST", "/api/v1/scheduler", json.dumps(body),
                           {"Content-Type": "application/json", "Mesos-Stream-Id": stream_id})
        answer = connection.getresponse()
        text = answer.read().decode()
        connection.close()
        if answer.status != 202:
            sys.exit(f"{body['type']} failed: {answer.status} {text}")

    launched = ended = 0
    for event in records(response):
        kind = event["type"]
        if kind == "SUBSCRIBED":
            framework_id = event["subscribed"]["framework_id"]
            print(f"subscribed as {framework_id['value']}", flush=True)
        elif kind == "OFFERS":
            for offer in event["offers"]["offers"]:
                if launched == args.count:
                    call({"type": "DECLINE", "framework_id": framework_id,
                          "decline": {"offer_ids": [offer["id"]], "filters": {"refuse_seconds": 60}}})
                    continue
                launched += 1
                task = {
                    "name": f"example-{launched}",
                    "task_id": {"value": f"example-{launched}"},
                    "agent_id": offer["agent_id"],
                    "resources": [
                        {"name": "cpus", "type": "SCALAR", "scalar": {"value": 0.1}},
                        {"name": "mem", "type": "SCALAR", "scalar": {"value": 32}},
                    ],
                    "command": {"value": args.cmd},
                }
                call({"type": "ACCEPT", "framework_id": framework_id,
                      "accept": {"offer_ids": [offer["id"]],
                                 "operations": [{"type": "LAUNCH", "launch": {"task_infos": [task]}}],
                                 "filters": {"refuse_seconds": 0}}})
        elif kind == "UPDATE":
            status = event["update"]["status"]
            print(f"{status['task_id']['value']} {status['state']} {status.get('message', '')}", flush=True)
            if "uuid" in status:
                call({"type": "ACKNOWLEDGE", "framework_id": framework_id,
                      "acknowledge": {"agent_id": status["agent_id"], "task_id": status["task_id"],
                                      "uuid": status["uuid"]}})
            if status["state"] in TERMINAL:
                ended += 1
                if ended == args.count:
                    call({"type": "TEARDOWN", "framework_id": framework_id})
                    print("all tasks ended; torn down", flush=True)
                    return
        elif kind == "ERROR":
            sys.exit("error from the master: " + event["error"]["message"])


if __name__ == "__main__":
    main()
