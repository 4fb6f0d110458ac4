#!/usr/bin/env python3
"""tests/integration/receiver.py PORTFILE LOGFILE [GATEFILE]

A local HTTP receiver for alert tests, on 127.0.0.1 only (port chosen by
the kernel, written to PORTFILE). Every request is appended to LOGFILE as
one JSON line: path, headers, body, and the status it was answered with.
  /fail500-N   500 for the first N requests, then 200
  /ratelimit   429 with Retry-After: 1 the first time, then 200
  /gated       503 while GATEFILE exists, then 200
  /ratelimit0-N  429 with Retry-After: 0 for the first N requests, then 200
  /hang-N      the first N requests get no answer for 5 s (the client gives up), then 200
  anything else 200
$RECEIVER_DOWN_WHILE, when set, is a file: while it exists the port is
bound but not listening, so connections are refused (a receiver that is
down), and it stays ours: no other test's socket can take it meanwhile
(a port freed and bound again later could be).
"""
import json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

portfile, logfile = sys.argv[1], sys.argv[2]
gatefile = sys.argv[3] if len(sys.argv) > 3 else None
counts = {}
lock = threading.Lock()


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        path = self.path.split("?")[0]
        with lock:
            counts[path] = counts.get(path, 0) + 1
            n = counts[path]
        status, extra = 200, {}
        if path.startswith("/fail500-") and n <= int(path.split("-")[1]):
            status = 500
        elif path == "/ratelimit" and n == 1:
            status, extra = 429, {"Retry-After": "1"}
        elif path == "/gated" and gatefile and os.path.exists(gatefile):
            status = 503
        elif path.startswith("/ratelimit0-") and n <= int(path.split("-")[1]):
            status, extra = 429, {"Retry-After": "0"}
        elif path.startswith("/hang-") and n <= int(path.split("-")[1]):
            status = 0  # no answer: the client times out; logged as 0
            time.sleep(5)
        record = {"path": path, "status": status, "time": time.time(),
                  "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body,
                  "authorization": self.headers.get("Authorization")}
        with lock, open(logfile, "a") as f:
            f.write(json.dumps(record) + "\n")
        if status == 0:
            self.close_connection = True
            return
        self.send_response(status)
        for k, v in extra.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"ok")


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler, bind_and_activate=False)
server.server_bind()
with open(portfile + ".tmp", "w") as f:
    f.write(str(server.server_address[1]))
os.rename(portfile + ".tmp", portfile)
down = os.environ.get("RECEIVER_DOWN_WHILE")
while down and os.path.exists(down):
    time.sleep(0.05)
server.server_activate()
server.serve_forever()
