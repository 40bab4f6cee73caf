#!/usr/bin/env python3
"""TCP echo server and throughput client for bench/tcp.sh (loopback only).

  tcp_echo.py serve PORT                 echo every byte back; half-close when the client does
  tcp_echo.py run PORT MEGABYTES STREAMS  send MEGABYTES on each of STREAMS connections, read the echo back,
                                          print "<MB/s one way> <bytes ok 0|1>"
"""
import socket
import sys
import threading
import time

CHUNK = 256 * 1024


def serve(port):
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", port))
    server.listen(128)
    while True:
        conn, _ = server.accept()
        threading.Thread(target=echo, args=(conn,), daemon=True).start()


def echo(conn):
    buf = bytearray(CHUNK)
    view = memoryview(buf)
    with conn:
        while True:
            n = conn.recv_into(buf)
            if n == 0:
                conn.shutdown(socket.SHUT_WR)
                return
            conn.sendall(view[:n])


def one(port, megabytes, results, index):
    conn = socket.create_connection(("127.0.0.1", port))
    conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    total = megabytes * 1024 * 1024
    payload = bytes(range(256)) * (CHUNK // 256)
    received = [0]

    def reader():
        buf = bytearray(CHUNK)
        while True:
            n = conn.recv_into(buf)
            if n == 0:
                return
            received[0] += n

    t = threading.Thread(target=reader)
    t.start()
    sent = 0
    while sent < total:
        conn.sendall(payload)
        sent += len(payload)
    conn.shutdown(socket.SHUT_WR)
    t.join()
    conn.close()
    results[index] = received[0] == sent


def run(port, megabytes, streams):
    results = [False] * streams
    threads = [threading.Thread(target=one, args=(port, megabytes, results, i)) for i in range(streams)]
    began = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    seconds = time.perf_counter() - began
    print(f"{megabytes * streams / seconds:.1f} {int(all(results))}")


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        serve(int(sys.argv[2]))
    else:
        run(int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]))
