"""python3's http.server, serving a directory, without Content-Length.

A rewriting bridge changes body lengths; a response delimited by the connection's close (HTTP/1.0) stays valid
whatever the body becomes. Usage: http_server.py DIR ADDRESS PORT
"""
import functools
import http.server
import socket
import sys


class Handler(http.server.SimpleHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def send_header(self, keyword, value):
        if keyword.lower() != "content-length":
            super().send_header(keyword, value)

    def log_message(self, fmt, *args):
        sys.stderr.write("%s %s\n" % (self.client_address[0], fmt % args))
        sys.stderr.flush()


directory, address, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
class Server(http.server.ThreadingHTTPServer):
    # "::" serves IPv6 and, on Linux's default bindv6only=0, IPv4 too
    address_family = socket.AF_INET6 if ":" in address else socket.AF_INET


server = Server((address, port), functools.partial(Handler, directory=directory))
print("ready", flush=True)
server.serve_forever()
