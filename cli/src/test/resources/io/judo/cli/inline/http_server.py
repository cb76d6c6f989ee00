"""python3's http.server, serving a directory, without Content-Length.

A rewriting bridge changes body lengths; a response delimited by the connection's close (HTTP/1.0) stays valid
whatever the body becomes. Usage: http_server.py DIR ADDRESS PORT
"""
import functools
import http.server
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def send_header(self, keyword, value):
        if keyword.lower() != "content-length":
            super().send_header(keyword, value)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s\n" % (fmt % args))


directory, address, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
server = http.server.ThreadingHTTPServer((address, port), functools.partial(Handler, directory=directory))
print("ready", flush=True)
server.serve_forever()
