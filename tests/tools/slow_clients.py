#!/usr/bin/env python3
"""tests/tools/slow_clients.py — one client holding many slow connections to a server.

    slow_clients.py HOST PORT COUNT HOLD_SECONDS [SOURCE_ADDRESS]

Opens COUNT connections from SOURCE_ADDRESS (default 127.0.0.2, another client than
127.0.0.1 on the loopback) and sends each half an HTTP request (headers never ended),
then waits. Prints "held N after 1s" (connections the server still keeps open a second
later) and "held N after HOLD_SECONDSs" (still open at the end)."""
import errno
import socket
import sys
import time

host, port, count, hold = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
source = sys.argv[5] if len(sys.argv) > 5 else "127.0.0.2"
socks = []
for _ in range(count):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((source, 0))
        s.settimeout(2)
        s.connect((host, port))
        s.sendall(b"POST / HTTP/1.1\r\nHost: " + host.encode() + b"\r\nContent-Type: app")
        s.setblocking(False)
        socks.append(s)
    except OSError:
        s.close()


def still_open():
    n = 0
    for s in socks:
        if s.fileno() < 0:
            continue
        try:
            data = s.recv(1)
            if data == b"":  # closed by the server
                s.close()
                continue
            n += 1  # the server answered something; still open
        except BlockingIOError:
            n += 1
        except OSError:
            s.close()
    return n


start = time.time()
time.sleep(1)
print("held %d after 1s" % still_open(), flush=True)
time.sleep(max(0.0, hold - (time.time() - start)))
print("held %d after %gs" % (still_open(), hold), flush=True)
