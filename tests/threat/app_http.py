#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Crafted HTTP/1.1 requests for the threat tests (threat_app_test.c).

    app_http.py CASE HOST [PORT]

CASE:
  cl_te       a POST with both Content-Length and Transfer-Encoding: chunked
  cl_cl       a POST with two different Content-Lengths
  te          a POST with an obfuscated "Transfer-Encoding: xchunked"
  bad_cl      a POST with "Content-Length: -1"
  slowloris   a GET whose head comes one line a second, 5 lines in all
Prints the status line of the answer; exits 0 when the server answered, 1
when the connection was reset (or closed) without an answer, 2 on a
timeout.
"""
import socket
import sys
import time

TIMEOUT = 10

REQUESTS = {
    'cl_te': b'POST / HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 5\r\n'
             b'Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    'cl_cl': b'POST / HTTP/1.1\r\nHost: shop.test\r\nContent-Length: 5\r\n'
             b'Content-Length: 7\r\n\r\nhello, ',
    'te': b'POST / HTTP/1.1\r\nHost: shop.test\r\nTransfer-Encoding: xchunked\r\n\r\n'
          b'0\r\n\r\n',
    'bad_cl': b'POST / HTTP/1.1\r\nHost: shop.test\r\nContent-Length: -1\r\n\r\nhello',
}

SLOW_LINES = [b'GET / HTTP/1.1\r\n', b'Host: shop.test\r\n', b'User-Agent: slow\r\n',
              b'Accept: */*\r\n', b'X-Wait: 1\r\n', b'\r\n']


def main():
    case, host = sys.argv[1], sys.argv[2]
    port = int(sys.argv[3]) if len(sys.argv) > 3 else 80
    sock = socket.create_connection((host, port), timeout=TIMEOUT)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    answer = b''
    try:
        if case == 'slowloris':
            for i, line in enumerate(SLOW_LINES):
                if i:
                    time.sleep(1)
                sock.sendall(line)
        else:
            sock.sendall(REQUESTS[case])
        while b'\r\n' not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    except (ConnectionResetError, BrokenPipeError) as err:
        print('%s: %s after %d bytes of answer' % (case, err, len(answer)))
        return 0 if answer else 1
    except socket.timeout:
        print('%s: no answer in %d s' % (case, TIMEOUT))
        return 2
    if not answer:
        print('%s: closed without an answer' % case)
        return 1
    print('%s: %s' % (case, answer.split(b'\r\n')[0].decode(errors='replace')))
    return 0


if __name__ == '__main__':
    sys.exit(main())
